#pragma once
// Who has an account with this email? Asked by the member routes to add an existing user
// directly rather than inviting the address. The auth service's adapter implements it; tests use
// a fake.

#include <optional>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::gateway {

struct UserRef {
  std::string id;
  std::string email;
  std::string name;
};

class UserDirectory {
 public:
  virtual ~UserDirectory() = default;
  // `email` arrives normalised (trimmed, ASCII lower-case). nullopt when no account has it; an
  // error only when the directory cannot answer (kUnavailable...).
  virtual Result<std::optional<UserRef>> FindByEmail(std::string_view email) = 0;
};

}  // namespace milkyhoop::gateway
