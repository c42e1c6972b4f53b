#pragma once
// Account lockout: consecutive failed logins per email, counted whether or not an account
// exists (so a lockout does not reveal which emails are registered). After `threshold`
// failures the email is locked for the next delay of the list (the last repeats); a success
// clears the record. Counts older than a day start over.
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::auth {

struct LockoutPolicy {
  int threshold = 5;
  std::vector<std::chrono::seconds> delays;
};

// The lock that follows `lockouts_so_far` earlier locks.
std::chrono::seconds LockoutDelay(const LockoutPolicy& policy, std::int64_t lockouts_so_far);

// The key of an email in login_failures: hex SHA-256 of the normalised email.
std::string EmailKey(std::string_view normalized_email);

class LoginFailures {
 public:
  LoginFailures(LockoutPolicy policy, const Clock& clock)
      : policy_(std::move(policy)), clock_(clock) {}

  // Seconds until the lock ends; 0 when not locked.
  Result<std::int64_t> LockedFor(sql::Session& session, std::string_view email_key) const;
  // Counts one failure (in the caller's transaction). Returns the seconds of the lock it
  // started, or 0 when it did not lock.
  Result<std::int64_t> RecordFailure(sql::Session& tx, std::string_view email_key) const;
  Status Clear(sql::Session& tx, std::string_view email_key) const;

 private:
  LockoutPolicy policy_;
  const Clock& clock_;
};

}  // namespace milkyhoop::auth
