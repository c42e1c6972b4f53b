// UserDirectory (asked by the member routes) answered by the auth service.
#include "milkyhoop/gateway/auth_routes.hpp"

namespace milkyhoop::gateway {
namespace {

class AuthUserDirectory final : public UserDirectory {
 public:
  explicit AuthUserDirectory(auth::AuthService& auth) : auth_(auth) {}

  Result<std::optional<UserRef>> FindByEmail(std::string_view email) override {
    auth::v1::FindUserByEmailRequest req;
    req.set_email(std::string(email));
    auto found = auth_.FindUserByEmail(req);
    if (!found.ok()) {
      // Not registered, or not an address at all: either way nobody has it.
      if (found.status().code() == StatusCode::kNotFound ||
          found.status().code() == StatusCode::kInvalidArgument) {
        return std::optional<UserRef>();
      }
      return found.status();
    }
    return std::optional(UserRef{found->user().id(), found->user().email(), found->user().name()});
  }

 private:
  auth::AuthService& auth_;
};

}  // namespace

std::unique_ptr<UserDirectory> MakeAuthUserDirectory(auth::AuthService& auth) {
  return std::make_unique<AuthUserDirectory>(auth);
}

}  // namespace milkyhoop::gateway
