#pragma once
// A column of a service's own table that holds values sealed by the security service, named so
// that `milkyhoop keys rewrap` can re-wrap them under the active master key after a rotation.
// Each service lists its own (it alone knows its tables).
#include <string_view>

namespace milkyhoop::security {

struct SealedColumn {
  std::string_view table;
  std::string_view key;     // the primary key column (text), to walk the table in order
  std::string_view column;  // the sealed value; NULL or '' means none
};

}  // namespace milkyhoop::security
