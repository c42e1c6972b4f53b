#include "milkyhoop/auth/auth_service.hpp"

#include <charconv>
#include <string>

namespace milkyhoop::auth {
namespace {
constexpr std::string_view kRetryAfter = "retry after ";
constexpr std::string_view kSeconds = " seconds";
}  // namespace

AuthService::~AuthService() = default;

Status AccountLockedStatus(std::int64_t retry_after_seconds) {
  return ResourceExhausted(
      "account temporarily locked after repeated failed logins; " + std::string(kRetryAfter) +
      std::to_string(retry_after_seconds < 1 ? 1 : retry_after_seconds) + std::string(kSeconds));
}

std::optional<std::int64_t> RetryAfterSeconds(const Status& status) {
  if (status.code() != StatusCode::kResourceExhausted) return std::nullopt;
  const std::string& m = status.message();
  const auto at = m.rfind(kRetryAfter);
  if (at == std::string::npos || !m.ends_with(kSeconds)) return std::nullopt;
  const char* begin = m.data() + at + kRetryAfter.size();
  const char* end = m.data() + m.size() - kSeconds.size();
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || value < 0) return std::nullopt;
  return value;
}

}  // namespace milkyhoop::auth
