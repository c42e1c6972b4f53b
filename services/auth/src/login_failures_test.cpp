#include "login_failures.hpp"

#include <gtest/gtest.h>

#include "milkyhoop/auth/auth_service.hpp"

namespace milkyhoop::auth {
namespace {

using namespace std::chrono_literals;

TEST(Lockout, DelaysGrowThenRepeatTheLast) {
  LockoutPolicy p{5, {5min, 15min, 30min, 60min}};
  EXPECT_EQ(LockoutDelay(p, 0), 5min);
  EXPECT_EQ(LockoutDelay(p, 1), 15min);
  EXPECT_EQ(LockoutDelay(p, 3), 60min);
  EXPECT_EQ(LockoutDelay(p, 9), 60min);
  EXPECT_EQ(LockoutDelay(p, -1), 5min);
}

TEST(Lockout, RetryAfterTravelsInTheStatusMessage) {
  Status s = AccountLockedStatus(299);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(RetryAfterSeconds(s), 299);
  EXPECT_EQ(RetryAfterSeconds(AccountLockedStatus(0)), 1);
  EXPECT_EQ(RetryAfterSeconds(ResourceExhausted("quota")), std::nullopt);
  EXPECT_EQ(RetryAfterSeconds(Unauthenticated("retry after 5 seconds")), std::nullopt);
  EXPECT_EQ(RetryAfterSeconds(ResourceExhausted("retry after x seconds")), std::nullopt);
}

TEST(Lockout, EmailKeyIsAHashNotTheEmail) {
  const std::string key = EmailKey("ana@example.com");
  EXPECT_EQ(key.size(), 64u);
  EXPECT_EQ(key.find("ana"), std::string::npos);
  EXPECT_EQ(key, EmailKey("ana@example.com"));
}

}  // namespace
}  // namespace milkyhoop::auth
