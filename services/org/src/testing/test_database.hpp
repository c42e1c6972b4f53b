#pragma once
// The shared database test support (libs/sqltest) under this service's testing namespace.
#include "milkyhoop/sqltest/test_database.hpp"

namespace milkyhoop::org::testing {

using sqltest::Backend;
using sqltest::BackendName;
using sqltest::kNoPostgres;
using sqltest::StatusOf;
using sqltest::TestPgDsn;

using sqltest::TestDatabase;

}  // namespace milkyhoop::org::testing
