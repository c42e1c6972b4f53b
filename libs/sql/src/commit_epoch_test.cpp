// The commit epoch on both backends: every write transaction advances it, reads never do.
#include "milkyhoop/sql/commit_epoch.hpp"

#include "testing/sql_test_support.hpp"

namespace milkyhoop::sql::testing {
namespace {

TEST_P(SqlBackendTest, CommitEpochAdvancesOnWritesOnly) {
  CommitEpoch epoch;
  std::unique_ptr<Database> db = AdvanceOnCommit(std::move(db_), epoch);
  const std::uint64_t start = epoch.Current();

  MH_ASSERT_OK(db->Exec("CREATE TABLE notes (id TEXT PRIMARY KEY)"));
  MH_ASSERT_OK(db->Exec("INSERT INTO notes (id) VALUES ($1)", {"n1"}));
  EXPECT_EQ(epoch.Current(), start + 2);

  // Reads leave it alone, and they see what the wrapped database holds.
  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db->Query("SELECT id FROM notes"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.Text(0, 0), "n1");
  EXPECT_EQ(epoch.Current(), start + 2);

  // A transaction that fails still advances it: a reader must not trust what it read before.
  Status failed = db->Transaction([](Session& tx) -> Status {
    MH_TRY(tx.Exec("INSERT INTO notes (id) VALUES ($1)", {"n2"}).status());
    return InvalidArgument("changed my mind");
  });
  EXPECT_FALSE(failed.ok());
  EXPECT_EQ(epoch.Current(), start + 3);
  MH_ASSERT_OK_AND_ASSIGN(Rows after, db->Query("SELECT COUNT(*) FROM notes"));
  EXPECT_EQ(after.Int(0, 0), 1);  // rolled back
  db_ = std::move(db);            // TearDown closes it
}

}  // namespace
}  // namespace milkyhoop::sql::testing
