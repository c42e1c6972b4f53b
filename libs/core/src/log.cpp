#include "milkyhoop/core/log.hpp"

#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <memory>
#include <mutex>

#include "milkyhoop/core/json_escape.hpp"

namespace milkyhoop::log {
namespace {

struct State {
  std::atomic<Level> level{Level::kInfo};
  Format format = Format::kJson;
  std::string service = "milkyhoop";
  std::shared_ptr<spdlog::logger> logger;
};

State& GetState() {
  static State* state = [] {
    auto* s = new State();  // leaked on purpose: logging must outlive every static
    s->logger = std::make_shared<spdlog::logger>(
        "milkyhoop", std::make_shared<spdlog::sinks::stdout_sink_mt>());
    s->logger->set_pattern("%v");
    s->logger->set_level(spdlog::level::trace);
    s->logger->flush_on(spdlog::level::trace);
    return s;
  }();
  return *state;
}

thread_local std::string_view t_request_id;
thread_local std::string_view t_trace_id;

std::string_view LevelName(Level level) {
  switch (level) {
    case Level::kDebug: return "debug";
    case Level::kInfo: return "info";
    case Level::kWarn: return "warn";
    case Level::kError: return "error";
    case Level::kOff: return "off";
  }
  return "info";
}

void AppendTime(std::string& out) {
  auto now = std::chrono::system_clock::now();
  auto secs = std::chrono::system_clock::to_time_t(now);
  auto micros =
      std::chrono::duration_cast<std::chrono::microseconds>(now.time_since_epoch()).count() %
      1000000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::array<char, 64> buf{};
  std::snprintf(buf.data(), buf.size(), "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<long long>(micros));
  out += buf.data();
}

void AppendValue(std::string& out, const Field::Value& v, bool json) {
  if (auto* s = std::get_if<std::string_view>(&v)) {
    if (json) {
      out += '"';
      AppendJsonEscaped(out, *s);
      out += '"';
    } else {
      out.append(*s);
    }
  } else if (auto* i = std::get_if<std::int64_t>(&v)) {
    out += std::to_string(*i);
  } else if (auto* d = std::get_if<double>(&v)) {
    std::array<char, 32> buf{};
    std::snprintf(buf.data(), buf.size(), "%.6g", *d);
    out += buf.data();
  } else {
    out += std::get<bool>(v) ? "true" : "false";
  }
}

}  // namespace

bool ParseLevel(std::string_view text, Level* out) {
  static constexpr std::pair<std::string_view, Level> kNames[] = {
      {"debug", Level::kDebug}, {"info", Level::kInfo}, {"warn", Level::kWarn},
      {"error", Level::kError}, {"off", Level::kOff}};
  for (auto [name, level] : kNames) {
    if (text == name) {
      *out = level;
      return true;
    }
  }
  return false;
}

bool ParseFormat(std::string_view text, Format* out) {
  if (text == "json") *out = Format::kJson;
  else if (text == "text") *out = Format::kText;
  else return false;
  return true;
}

void Init(const Options& options) {
  State& s = GetState();
  s.level.store(options.level, std::memory_order_relaxed);
  s.format = options.format;
  s.service = options.service;
}

bool Enabled(Level level) {
  return level != Level::kOff && level >= GetState().level.load(std::memory_order_relaxed);
}

bool IsSecretKey(std::string_view key) {
  static constexpr std::string_view kMarkers[] = {"password", "secret", "token", "authorization",
                                                  "api_key", "apikey", "cookie", "dsn",
                                                  "private", "credential"};
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::any_of(std::begin(kMarkers), std::end(kMarkers),
                     [&](std::string_view m) { return lower.find(m) != std::string::npos; });
}

std::string Render(Level level, std::string_view message, std::initializer_list<Field> fields) {
  const State& s = GetState();
  std::string out;
  out.reserve(192);
  static const Field::Value kRedacted = std::string_view("[redacted]");
  if (s.format == Format::kJson) {
    out += "{\"ts\":\"";
    AppendTime(out);
    out += "\",\"level\":\"";
    out += LevelName(level);
    // A field named "service" (the service a line is about) replaces the process's own name,
    // so no line carries the key twice.
    const bool has_service_field = std::any_of(fields.begin(), fields.end(),
                                               [](const Field& f) { return f.key == "service"; });
    if (!has_service_field) {
      out += "\",\"service\":\"";
      AppendJsonEscaped(out, s.service);
    }
    out += '"';
    if (!t_request_id.empty()) {
      out += ",\"request_id\":\"";
      AppendJsonEscaped(out, t_request_id);
      out += '"';
    }
    if (!t_trace_id.empty()) {
      out += ",\"trace_id\":\"";
      AppendJsonEscaped(out, t_trace_id);
      out += '"';
    }
    out += ",\"msg\":\"";
    AppendJsonEscaped(out, message);
    out += '"';
    for (const Field& f : fields) {
      out += ",\"";
      AppendJsonEscaped(out, f.key);
      out += "\":";
      AppendValue(out, IsSecretKey(f.key) ? kRedacted : f.value, true);
    }
    out += '}';
  } else {
    AppendTime(out);
    out += ' ';
    out += LevelName(level);
    out += ' ';
    out.append(message);
    for (const Field& f : fields) {
      out += ' ';
      out.append(f.key);
      out += '=';
      AppendValue(out, IsSecretKey(f.key) ? kRedacted : f.value, false);
    }
    if (!t_request_id.empty()) {
      out += " request_id=";
      out.append(t_request_id);
    }
  }
  return out;
}

void Write(Level level, std::string_view message, std::initializer_list<Field> fields) {
  if (!Enabled(level)) return;
  std::string line = Render(level, message, fields);
  GetState().logger->log(spdlog::level::info, line);
}

ScopedContext::ScopedContext(std::string_view request_id, std::string_view trace_id)
    : prev_request_id_(t_request_id), prev_trace_id_(t_trace_id) {
  t_request_id = request_id;
  t_trace_id = trace_id;
}

ScopedContext::~ScopedContext() {
  t_request_id = prev_request_id_;
  t_trace_id = prev_trace_id_;
}

}  // namespace milkyhoop::log
