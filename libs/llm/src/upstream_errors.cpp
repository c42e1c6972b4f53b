#include "upstream_errors.hpp"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace milkyhoop::llm {

std::string SummarizeBody(std::string_view body, std::string_view secret, std::size_t max_chars) {
  std::string text(body.substr(0, std::min(body.size(), max_chars * 4)));
  if (secret.size() >= 4) {  // a short "key" would mask ordinary words
    for (std::size_t pos = text.find(secret); pos != std::string::npos;
         pos = text.find(secret, pos)) {
      text.replace(pos, secret.size(), "[redacted]");
    }
  }
  std::string out;
  out.reserve(std::min(text.size(), max_chars));
  bool space = false;
  for (unsigned char c : text) {
    if (out.size() >= max_chars) {
      out += "...";
      break;
    }
    if (c < 0x20 || c == 0x7F) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(static_cast<char>(c));
  }
  return out;
}

Status StatusForHttp(int http_status, std::string_view body, std::string_view api_key) {
  std::string message = "LLM upstream answered HTTP " + std::to_string(http_status);
  const std::string summary = SummarizeBody(body, api_key);
  if (!summary.empty()) message += ": " + summary;
  if (http_status == 429) return ResourceExhausted(std::move(message));
  if (http_status >= 500 || http_status == 408) return Unavailable(std::move(message));
  switch (http_status) {
    case 400:
    case 413:
    case 422:
      return InvalidArgument(std::move(message));
    case 401:
      return Unauthenticated(std::move(message));
    case 403:
      return PermissionDenied(std::move(message));
    case 404:
      return NotFound(std::move(message));
    default:
      return FailedPrecondition(std::move(message));
  }
}

bool IsRetryableHttp(int http_status) {
  return http_status == 408 || http_status == 429 || (http_status >= 500 && http_status <= 599);
}

std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  if (value.empty()) return std::nullopt;
  if (std::all_of(value.begin(), value.end(), [](unsigned char c) { return std::isdigit(c); })) {
    if (value.size() > 9) return std::chrono::hours(24 * 365);  // absurd: the cap applies
    long long seconds = 0;
    for (char c : value) seconds = seconds * 10 + (c - '0');
    return std::chrono::milliseconds(seconds * 1000);
  }
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT".
  std::tm tm{};
  const std::string text(value);
  const char* end = strptime(text.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm);
  if (!end || *end != '\0') return std::nullopt;
  const auto at = std::chrono::system_clock::from_time_t(timegm(&tm));
  if (at <= now) return std::chrono::milliseconds(0);
  return std::chrono::duration_cast<std::chrono::milliseconds>(at - now);
}

std::chrono::milliseconds RetryDelay(int attempt, std::chrono::milliseconds initial,
                                     std::chrono::milliseconds max,
                                     std::optional<std::chrono::milliseconds> retry_after,
                                     std::minstd_rand& rng) {
  if (retry_after) return std::clamp(*retry_after, std::chrono::milliseconds(0), max);
  const int shift = std::clamp(attempt - 1, 0, 20);
  const long long full = std::min<long long>(initial.count() << shift, max.count());
  if (full <= 1) return std::chrono::milliseconds(std::max<long long>(full, 0));
  std::uniform_int_distribution<long long> jitter(full / 2, full);
  return std::chrono::milliseconds(jitter(rng));
}

}  // namespace milkyhoop::llm
