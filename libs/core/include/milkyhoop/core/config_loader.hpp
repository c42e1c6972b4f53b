#pragma once
// Layered configuration: defaults, then a TOML file, then MILKYHOOP_* environment variables,
// then command-line flags. Each known key is declared once with its type and a setter that
// validates; an unknown key or a bad value fails with a message naming the key.

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::config {

enum class Type : std::uint8_t { kString, kInt, kBool, kStringList };
using Value = std::variant<std::string, std::int64_t, bool, std::vector<std::string>>;

struct KeySpec {
  std::string key;  // dotted, e.g. "http.max_body_bytes"
  Type type = Type::kString;
  std::string description;
  // Validates and stores the value; returns an error message (empty when accepted).
  std::function<std::string(const Value&)> apply;
};

class Loader {
 public:
  void Add(KeySpec spec);

  Status LoadTomlFile(const std::string& path);
  Status LoadTomlString(std::string_view text, std::string_view origin);
  // Reads MILKYHOOP_<KEY> for every declared key ("http.max_body_bytes" →
  // MILKYHOOP_HTTP_MAX_BODY_BYTES). `getenv` is injectable for tests.
  Status LoadEnv(const std::function<const char*(const char*)>& getenv);
  // Sets a key from its text form (flags and environment use this).
  Status SetFromText(std::string_view key, std::string_view text, std::string_view origin);

  static std::string EnvName(std::string_view key);
  const std::vector<KeySpec>& keys() const { return specs_; }

 private:
  Status Apply(const KeySpec& spec, const Value& value, std::string_view origin);
  const KeySpec* Find(std::string_view key) const;

  std::vector<KeySpec> specs_;
};

// Helpers for common setters.
KeySpec IntKey(std::string key, std::int64_t* target, std::int64_t min, std::int64_t max,
               std::string description);
KeySpec StringKey(std::string key, std::string* target, std::string description,
                  std::function<std::string(const std::string&)> validate = {});
KeySpec BoolKey(std::string key, bool* target, std::string description);
KeySpec ListKey(std::string key, std::vector<std::string>* target, std::string description);

}  // namespace milkyhoop::config
