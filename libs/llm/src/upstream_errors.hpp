#pragma once
// What an upstream's failure means for the caller and for a retry: shared by the chat and the
// embeddings clients.

#include <chrono>
#include <optional>
#include <random>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::llm {

// The Status for a non-2xx answer: 429 → kResourceExhausted, 5xx → kUnavailable, 400 →
// kInvalidArgument, 401 → kUnauthenticated, 403 → kPermissionDenied, 404 → kNotFound, other →
// kFailedPrecondition. The message carries a summary of the body.
Status StatusForHttp(int http_status, std::string_view body, std::string_view api_key);

// Worth another attempt (when nothing has been delivered yet): 408, 429 and 5xx.
bool IsRetryableHttp(int http_status);

// At most `max_chars` of `body`, one line, without control characters and with every
// occurrence of `secret` (the API key, which some servers echo back) masked.
std::string SummarizeBody(std::string_view body, std::string_view secret,
                          std::size_t max_chars = 300);

// A Retry-After header value (delta-seconds or an HTTP-date) as a delay from `now`; nullopt when
// absent or unreadable.
std::optional<std::chrono::milliseconds> ParseRetryAfter(std::string_view value,
                                                         std::chrono::system_clock::time_point now);

// The delay before attempt number `attempt` + 1 (attempt counts from 1): initial * 2^(attempt-1)
// with "equal jitter" (between half and all of it), or the server's Retry-After when it asked
// for one; never more than `max`.
std::chrono::milliseconds RetryDelay(int attempt, std::chrono::milliseconds initial,
                                     std::chrono::milliseconds max,
                                     std::optional<std::chrono::milliseconds> retry_after,
                                     std::minstd_rand& rng);

}  // namespace milkyhoop::llm
