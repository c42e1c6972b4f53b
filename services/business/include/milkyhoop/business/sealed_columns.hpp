#pragma once
// The columns of the business service's tables that hold values sealed by the security service
// (re-wrapped by `milkyhoop keys rewrap` after a master-key rotation). Keep in step with the
// migrations: a sealed column missing here would keep an old master key in use.
#include <array>

#include "milkyhoop/security/sealed_column.hpp"

namespace milkyhoop::business {

inline constexpr std::array<security::SealedColumn, 1> kSealedColumns{
    {{"customers", "id", "phone_sealed"}}};

}  // namespace milkyhoop::business
