#pragma once
// Structured logging: JSON lines on stdout (or text for humans). Each line carries the time,
// level, service, the request and trace ids of the current request, a message and fields.
// Fields whose names look like secrets are always written as "[redacted]".

#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace milkyhoop::log {

enum class Level : std::uint8_t { kDebug, kInfo, kWarn, kError, kOff };
enum class Format : std::uint8_t { kJson, kText };

struct Options {
  Level level = Level::kInfo;
  Format format = Format::kJson;
  std::string service = "milkyhoop";
};

bool ParseLevel(std::string_view text, Level* out);
bool ParseFormat(std::string_view text, Format* out);

struct Field {
  using Value = std::variant<std::string_view, std::int64_t, double, bool>;
  template <typename T>
  Field(std::string_view k, T v) : key(k), value(Convert(v)) {}
  std::string_view key;
  Value value;

 private:
  static Value Convert(std::string_view v) { return v; }
  static Value Convert(const std::string& v) { return std::string_view(v); }
  static Value Convert(const char* v) { return std::string_view(v ? v : ""); }
  static Value Convert(bool v) { return v; }
  static Value Convert(double v) { return v; }
  template <typename I>
    requires std::is_integral_v<I>
  static Value Convert(I v) {
    return static_cast<std::int64_t>(v);
  }
};

void Init(const Options& options);
bool Enabled(Level level);
void Write(Level level, std::string_view message, std::initializer_list<Field> fields = {});
// Renders one line without writing it (used by tests and by Write).
std::string Render(Level level, std::string_view message, std::initializer_list<Field> fields);
// True for field names that must never reach a log (passwords, tokens, keys...).
bool IsSecretKey(std::string_view key);

// The request/trace ids attached to every line written by this thread while it lives.
class ScopedContext {
 public:
  ScopedContext(std::string_view request_id, std::string_view trace_id);
  ~ScopedContext();
  ScopedContext(const ScopedContext&) = delete;
  ScopedContext& operator=(const ScopedContext&) = delete;

 private:
  std::string_view prev_request_id_;
  std::string_view prev_trace_id_;
};

}  // namespace milkyhoop::log

#define MH_LOG_AT(level, msg, ...)                                              \
  do {                                                                          \
    if (::milkyhoop::log::Enabled(level)) ::milkyhoop::log::Write(level, msg, {__VA_ARGS__}); \
  } while (0)
#define MH_LOG_DEBUG(msg, ...) MH_LOG_AT(::milkyhoop::log::Level::kDebug, msg, ##__VA_ARGS__)
#define MH_LOG_INFO(msg, ...) MH_LOG_AT(::milkyhoop::log::Level::kInfo, msg, ##__VA_ARGS__)
#define MH_LOG_WARN(msg, ...) MH_LOG_AT(::milkyhoop::log::Level::kWarn, msg, ##__VA_ARGS__)
#define MH_LOG_ERROR(msg, ...) MH_LOG_AT(::milkyhoop::log::Level::kError, msg, ##__VA_ARGS__)
