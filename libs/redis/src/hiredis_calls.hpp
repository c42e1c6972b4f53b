#pragma once
// The hiredis calls shared by the pooled client and the subscriber: a timeout as a timeval, and
// one blocking command with its reply converted (a Redis error reply is kFailedPrecondition, a
// connection problem kUnavailable).
#include <hiredis/hiredis.h>

#include <chrono>
#include <string>
#include <vector>

#include "milkyhoop/redis/redis_client.hpp"

namespace milkyhoop::redis::internal {

timeval ToTimeval(std::chrono::milliseconds ms);
Result<Reply> RunCommand(redisContext& c, const std::vector<std::string>& args);

}  // namespace milkyhoop::redis::internal
