#include "milkyhoop/redis/distributed_lock.hpp"

#include <utility>

#include "milkyhoop/core/ids.hpp"

namespace milkyhoop::redis {
namespace {

// Ours: extend. Free: take. Another's: leave it.
const char* const kAcquireLua = R"(
local holder = redis.call('GET', KEYS[1])
if holder == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
if holder then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
)";

const char* const kReleaseLua = R"(
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
)";

const Script& AcquireScript() {
  static const Script script(kAcquireLua);
  return script;
}
const Script& ReleaseScript() {
  static const Script script(kReleaseLua);
  return script;
}

}  // namespace

DistributedLock::DistributedLock(RedisClient& client, std::string key,
                                 std::chrono::milliseconds ttl)
    : client_(client), key_(std::move(key)), ttl_(ttl), token_(RandomHex(16)) {}

Result<bool> DistributedLock::TryAcquire() {
  MH_ASSIGN_OR_RETURN(
      Reply reply, client_.Eval(AcquireScript(), {key_}, {token_, std::to_string(ttl_.count())}));
  return reply.kind == Reply::Kind::kInteger && reply.integer == 1;
}

Status DistributedLock::Release() {
  return client_.Eval(ReleaseScript(), {key_}, {token_}).status();
}

}  // namespace milkyhoop::redis
