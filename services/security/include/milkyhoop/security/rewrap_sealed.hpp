#pragma once
// Re-wrapping a service's sealed column under the active master key (SecurityService::Rewrap),
// so that an older master key can be retired once nothing is sealed under it any more.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/security/sealed_column.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::security {

struct RewrapTally {
  std::int64_t examined = 0;   // non-empty sealed values read
  std::int64_t rewrapped = 0;  // written back under the active master key
  // After the pass: how many values each master key id seals.
  std::map<std::string, std::int64_t> by_master_key;
};

// Walks `column` in key order, `batch` rows per read; each value under an older master key is
// re-wrapped and written back only if unchanged meanwhile (a concurrent write sealed it afresh,
// under the active key). The ciphertext and its context are untouched, so readers never notice.
// Safe to re-run: values already under the active key are left alone.
Result<RewrapTally> RewrapSealedColumn(sql::Database& db, SecurityService& security,
                                       const SealedColumn& column, std::size_t batch = 256);

}  // namespace milkyhoop::security
