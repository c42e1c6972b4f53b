#pragma once
// The columns of the auth service's tables that hold values sealed by the security service
// (re-wrapped by `milkyhoop keys rewrap` after a master-key rotation). Keep in step with the
// migrations: a sealed column missing here would keep an old master key in use.
#include <array>

#include "milkyhoop/security/sealed_column.hpp"

namespace milkyhoop::auth {

inline constexpr std::array<security::SealedColumn, 4> kSealedColumns{
    {{"users", "id", "totp_secret_sealed"},
     {"users", "id", "totp_pending_sealed"},
     {"signing_keys", "kid", "private_sealed"},
     {"oidc_states", "state_hash", "code_verifier_sealed"}}};

}  // namespace milkyhoop::auth
