#include "milkyhoop/core/config_loader.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <sstream>

namespace milkyhoop::config {
namespace {

std::string TypeName(Type t) {
  switch (t) {
    case Type::kString: return "a string";
    case Type::kInt: return "an integer";
    case Type::kBool: return "a boolean";
    case Type::kStringList: return "a list of strings";
  }
  return "a value";
}

Status KeyError(std::string_view key, std::string_view origin, std::string_view message) {
  std::string text = "config key '" + std::string(key) + "'";
  if (!origin.empty()) text += " (from " + std::string(origin) + ")";
  text += ": " + std::string(message);
  Status status(StatusCode::kInvalidArgument, text);
  status.WithField(std::string(key), std::string(message));
  return status;
}

// Flattens a TOML table into dotted keys, reporting the first unknown or mistyped key.
Status Walk(const toml::table& table, const std::string& prefix, Loader& loader,
            const std::function<const KeySpec*(std::string_view)>& find,
            const std::function<Status(const KeySpec&, const Value&)>& apply) {
  for (const auto& [k, node] : table) {
    std::string key = prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
    if (const auto* sub = node.as_table()) {
      if (!find(key)) {
        MH_TRY(Walk(*sub, key, loader, find, apply));
        continue;
      }
    }
    const KeySpec* spec = find(key);
    if (!spec) return KeyError(key, "", "unknown configuration key");
    Value value;
    switch (spec->type) {
      case Type::kString:
        if (!node.is_string()) return KeyError(key, "", "must be " + TypeName(spec->type));
        value = std::string(*node.value<std::string>());
        break;
      case Type::kInt:
        if (!node.is_integer()) return KeyError(key, "", "must be " + TypeName(spec->type));
        value = *node.value<std::int64_t>();
        break;
      case Type::kBool:
        if (!node.is_boolean()) return KeyError(key, "", "must be " + TypeName(spec->type));
        value = *node.value<bool>();
        break;
      case Type::kStringList: {
        const auto* arr = node.as_array();
        if (!arr) return KeyError(key, "", "must be " + TypeName(spec->type));
        std::vector<std::string> items;
        for (const auto& item : *arr) {
          if (!item.is_string()) return KeyError(key, "", "must be " + TypeName(spec->type));
          items.emplace_back(*item.value<std::string>());
        }
        value = std::move(items);
        break;
      }
    }
    MH_TRY(apply(*spec, value));
  }
  return Status::Ok();
}

std::string Trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

}  // namespace

void Loader::Add(KeySpec spec) { specs_.push_back(std::move(spec)); }

const KeySpec* Loader::Find(std::string_view key) const {
  auto it = std::find_if(specs_.begin(), specs_.end(),
                         [&](const KeySpec& s) { return s.key == key; });
  return it == specs_.end() ? nullptr : &*it;
}

Status Loader::Apply(const KeySpec& spec, const Value& value, std::string_view origin) {
  std::string err = spec.apply(value);
  if (!err.empty()) return KeyError(spec.key, origin, err);
  return Status::Ok();
}

Status Loader::LoadTomlFile(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "config file " << path << ": " << e.description() << " at line "
        << e.source().begin.line;
    return InvalidArgument(msg.str());
  }
  return Walk(
      table, "", *this, [this](std::string_view k) { return Find(k); },
      [&](const KeySpec& s, const Value& v) { return Apply(s, v, path); });
}

Status Loader::LoadTomlString(std::string_view text, std::string_view origin) {
  toml::table table;
  try {
    table = toml::parse(text);
  } catch (const toml::parse_error& e) {
    std::ostringstream msg;
    msg << "config " << origin << ": " << e.description() << " at line " << e.source().begin.line;
    return InvalidArgument(msg.str());
  }
  return Walk(
      table, "", *this, [this](std::string_view k) { return Find(k); },
      [&](const KeySpec& s, const Value& v) { return Apply(s, v, origin); });
}

std::string Loader::EnvName(std::string_view key) {
  std::string name = "MILKYHOOP_";
  for (char c : key) {
    name += (c == '.' || c == '-') ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return name;
}

Status Loader::LoadEnv(const std::function<const char*(const char*)>& getenv) {
  for (const KeySpec& spec : specs_) {
    const std::string name = EnvName(spec.key);
    const char* v = getenv(name.c_str());
    if (v == nullptr) continue;
    MH_TRY(SetFromText(spec.key, v, "environment " + name));
  }
  return Status::Ok();
}

Status Loader::SetFromText(std::string_view key, std::string_view text, std::string_view origin) {
  const KeySpec* spec = Find(key);
  if (!spec) return KeyError(key, origin, "unknown configuration key");
  switch (spec->type) {
    case Type::kString: return Apply(*spec, std::string(text), origin);
    case Type::kInt: {
      std::int64_t n = 0;
      std::string t = Trim(text);
      auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
      if (ec != std::errc() || ptr != t.data() + t.size() || t.empty()) {
        return KeyError(key, origin, "must be " + TypeName(spec->type) + ", got '" +
                                         std::string(text) + "'");
      }
      return Apply(*spec, n, origin);
    }
    case Type::kBool: {
      std::string t = Trim(text);
      std::transform(t.begin(), t.end(), t.begin(), [](unsigned char c) { return std::tolower(c); });
      if (t == "true" || t == "1" || t == "yes" || t == "on") return Apply(*spec, true, origin);
      if (t == "false" || t == "0" || t == "no" || t == "off") return Apply(*spec, false, origin);
      return KeyError(key, origin, "must be a boolean (true/false), got '" + std::string(text) + "'");
    }
    case Type::kStringList: {
      std::vector<std::string> items;
      std::string_view rest = text;
      while (!rest.empty()) {
        auto comma = rest.find(',');
        std::string item = Trim(rest.substr(0, comma));
        if (!item.empty()) items.push_back(std::move(item));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
      return Apply(*spec, std::move(items), origin);
    }
  }
  return Status::Ok();
}

KeySpec IntKey(std::string key, std::int64_t* target, std::int64_t min, std::int64_t max,
               std::string description) {
  return {std::move(key), Type::kInt, std::move(description), [=](const Value& v) -> std::string {
            std::int64_t n = std::get<std::int64_t>(v);
            if (n < min || n > max) {
              return "must be between " + std::to_string(min) + " and " + std::to_string(max) +
                     ", got " + std::to_string(n);
            }
            *target = n;
            return {};
          }};
}

KeySpec StringKey(std::string key, std::string* target, std::string description,
                  std::function<std::string(const std::string&)> validate) {
  return {std::move(key), Type::kString, std::move(description),
          [=](const Value& v) -> std::string {
            const auto& s = std::get<std::string>(v);
            if (validate) {
              std::string err = validate(s);
              if (!err.empty()) return err;
            }
            *target = s;
            return {};
          }};
}

KeySpec BoolKey(std::string key, bool* target, std::string description) {
  return {std::move(key), Type::kBool, std::move(description), [=](const Value& v) -> std::string {
            *target = std::get<bool>(v);
            return {};
          }};
}

KeySpec ListKey(std::string key, std::vector<std::string>* target, std::string description) {
  return {std::move(key), Type::kStringList, std::move(description),
          [=](const Value& v) -> std::string {
            *target = std::get<std::vector<std::string>>(v);
            return {};
          }};
}

}  // namespace milkyhoop::config
