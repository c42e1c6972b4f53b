// PostgreSQL-only behaviour: pool limits, reconnecting after the server drops connections,
// timeouts, secrets kept out of messages.
#include <chrono>
#include <limits>

#include "testing/sql_test_support.hpp"

namespace milkyhoop::sql::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

constexpr const char* kSecret = "s3cr3t-Pa55";

TEST(PostgresOpenTest, UnreachableServerIsUnavailableWithoutLeakingThePassword) {
  for (const std::string& dsn :
       {std::string("postgresql://someone:") + kSecret + "@127.0.0.1:1/db?connect_timeout=2",
        std::string("host=127.0.0.1 port=1 user=someone dbname=db password=") + kSecret}) {
    PostgresOptions options;
    options.dsn = dsn;
    options.schema = "svc";
    auto db = OpenPostgres(options);
    EXPECT_EQ(db.status().code(), StatusCode::kUnavailable) << db.status().ToString();
    EXPECT_EQ(db.status().message().find(kSecret), std::string::npos) << db.status().ToString();
    EXPECT_NE(db.status().message().find("postgres:svc"), std::string::npos)
        << db.status().ToString();
  }
}

TEST(PostgresOpenTest, MalformedDsnIsNotEchoed) {
  PostgresOptions options;
  options.dsn = std::string("host=127.0.0.1 password=") + kSecret + " garbage";
  options.schema = "svc";
  auto db = OpenPostgres(options);
  EXPECT_EQ(db.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(db.status().message().find(kSecret), std::string::npos) << db.status().ToString();
}

TEST(PostgresOpenTest, SchemaNamesAreValidatedBeforeUse) {
  for (const char* bad : {"", "Auth", "1svc", "svc-x", "svc\"; DROP SCHEMA public; --",
                          "a_name_that_is_far_too_long_for_postgresql_identifiers_1234567890"}) {
    PostgresOptions options;
    options.dsn = "host=127.0.0.1 port=1";
    options.schema = bad;
    EXPECT_EQ(OpenPostgres(options).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

class PostgresTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (TestPgDsn().empty()) GTEST_SKIP() << kNoPostgres;
    scratch_ = std::make_unique<Scratch>(Backend::kPostgres);
  }
  void TearDown() override { scratch_.reset(); }

  Result<std::unique_ptr<Database>> Open(const std::function<void(PostgresOptions&)>& tweak) {
    PostgresOptions options = scratch_->postgres_options();
    tweak(options);
    return OpenPostgres(options);
  }

  // Ends every server process serving this test's pool (found by its application_name, so
  // tests running in parallel keep their connections). `wait_ms` > 0 waits until they exit.
  Result<std::string> TerminateOurBackends(int wait_ms) {
    return PgAdminQuery(
        "SELECT COUNT(*) FROM (SELECT pg_terminate_backend(pid, $2::bigint) FROM "
        "pg_stat_activity WHERE usename = current_user AND application_name = $1 AND "
        "pid <> pg_backend_pid()) AS killed",
        {scratch_->schema(), std::to_string(wait_ms)});
  }

  // Makes the pool hold `n` connections by nesting reads.
  static Status WarmUp(Database& db, int n) {
    if (n == 0) return Status::Ok();
    return db.Read([&](Session& s) -> Status {
      MH_TRY(s.Query("SELECT 1").status());
      return WarmUp(db, n - 1);
    });
  }

  std::unique_ptr<Scratch> scratch_;
};

TEST_F(PostgresTest, CreatesItsSchemaAndWorksInsideIt) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions&) {}));
  EXPECT_EQ(db->Describe(), "postgres:" + scratch_->schema());
  MH_ASSERT_OK(db->Exec("CREATE TABLE mine (x BIGINT)"));
  MH_ASSERT_OK_AND_ASSIGN(
      std::string schema,
      PgAdminQuery("SELECT table_schema FROM information_schema.tables WHERE table_name = 'mine' "
                   "AND table_schema = $1",
                   {scratch_->schema()}));
  EXPECT_EQ(schema, scratch_->schema());
  // Opening again finds the schema already there.
  MH_ASSERT_OK_AND_ASSIGN(auto again, Open([](PostgresOptions&) {}));
  MH_EXPECT_OK(again->Query("SELECT x FROM mine"));
}

TEST_F(PostgresTest, PoolExhaustedIsUnavailableWithinTheAcquireTimeout) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions& o) {
                            o.pool_size = 1;
                            o.acquire_timeout_ms = 200;
                          }));
  Status starved;
  milliseconds waited{0};
  MH_ASSERT_OK(db->Transaction([&](Session&) {
    const auto start = steady_clock::now();
    starved = db->Read([](Session&) { return Status::Ok(); });  // the only connection is ours
    waited = std::chrono::duration_cast<milliseconds>(steady_clock::now() - start);
    return Status::Ok();
  }));
  EXPECT_EQ(starved.code(), StatusCode::kUnavailable) << starved.ToString();
  EXPECT_NE(starved.message().find("database pool exhausted"), std::string::npos);
  EXPECT_GE(waited.count(), 190);
  EXPECT_LT(waited.count(), 2000);
  MH_EXPECT_OK(db->Ping());  // the connection came back
}

TEST_F(PostgresTest, ReadSucceedsRightAfterTheServerDropsEveryConnection) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions& o) { o.pool_size = 3; }));
  MH_ASSERT_OK(WarmUp(*db, 3));
  // Not waiting for the backends to exit: the next statement may meet a connection that
  // still looks alive and fail on it; the read must then retry on a fresh one.
  MH_ASSERT_OK_AND_ASSIGN(std::string killed, TerminateOurBackends(0));
  EXPECT_EQ(killed, "3");
  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db->Query("SELECT 40 + $1", {2}));
  EXPECT_EQ(rows.Int(0, 0), 42);
}

TEST_F(PostgresTest, ReadsAndTransactionsRecoverOnceTheOldBackendsAreGone) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions& o) { o.pool_size = 3; }));
  MH_ASSERT_OK(db->Exec("CREATE TABLE t (x BIGINT)"));
  MH_ASSERT_OK(WarmUp(*db, 3));
  MH_ASSERT_OK_AND_ASSIGN(std::string killed, TerminateOurBackends(5000));
  EXPECT_EQ(killed, "3");
  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db->Query("SELECT COUNT(*) FROM t"));
  EXPECT_EQ(rows.Int(0, 0), 0);
  MH_EXPECT_OK(db->Exec("INSERT INTO t (x) VALUES (1)"));  // search_path restored on reconnect
  MH_ASSERT_OK(WarmUp(*db, 3));
  MH_ASSERT_OK_AND_ASSIGN(killed, TerminateOurBackends(5000));
  MH_EXPECT_OK(db->Transaction(
      [](Session& tx) { return tx.Exec("INSERT INTO t (x) VALUES (2)").status(); }));
  MH_ASSERT_OK_AND_ASSIGN(rows, db->Query("SELECT COUNT(*) FROM t"));
  EXPECT_EQ(rows.Int(0, 0), 2);
}

TEST_F(PostgresTest, ReadRetriesOnceWhenItsConnectionDiesBeforeItsFirstStatement) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions& o) { o.pool_size = 2; }));
  int calls = 0;
  MH_ASSERT_OK(db->Read([&](Session& s) -> Status {
    // The connection passed its health check on acquire; now its backend dies under it.
    if (++calls == 1) MH_TRY(TerminateOurBackends(5000).status());
    return s.Query("SELECT 1").status();
  }));
  EXPECT_EQ(calls, 2);
}

TEST_F(PostgresTest, LostConnectionAfterWorkStartedIsUnavailableAndNotRetried) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions& o) { o.pool_size = 2; }));
  MH_ASSERT_OK(db->Exec("CREATE TABLE t (x BIGINT)"));
  int calls = 0;
  Status read = db->Read([&](Session& s) -> Status {
    ++calls;
    MH_TRY(s.Query("SELECT 1").status());  // something already ran: a retry could repeat it
    MH_TRY(TerminateOurBackends(5000).status());
    return s.Query("SELECT 2").status();
  });
  EXPECT_EQ(read.code(), StatusCode::kUnavailable) << read.ToString();
  EXPECT_EQ(calls, 1);

  Status tx = db->Transaction([&](Session& s) -> Status {
    MH_TRY(s.Exec("INSERT INTO t (x) VALUES (1)").status());
    MH_TRY(TerminateOurBackends(5000).status());
    return s.Exec("INSERT INTO t (x) VALUES (2)").status();
  });
  EXPECT_EQ(tx.code(), StatusCode::kUnavailable) << tx.ToString();
  // The broken connections were dropped; the pool serves fresh ones, and nothing committed.
  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db->Query("SELECT COUNT(*) FROM t"));
  EXPECT_EQ(rows.Int(0, 0), 0);
}

TEST_F(PostgresTest, StatementTimeoutIsDeadlineExceeded) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions& o) {
                            o.pool_size = 1;
                            o.statement_timeout_ms = 100;
                          }));
  auto slow = db->Query("SELECT pg_sleep(30)");
  EXPECT_EQ(slow.status().code(), StatusCode::kDeadlineExceeded) << slow.status().ToString();
  MH_EXPECT_OK(db->Ping());  // the connection survives a cancelled statement
}

TEST_F(PostgresTest, CommitAfterASwallowedErrorIsAborted) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions&) {}));
  MH_ASSERT_OK(db->Exec("CREATE TABLE t (id BIGINT PRIMARY KEY)"));
  Status status = db->Transaction([](Session& tx) -> Status {
    MH_TRY(tx.Exec("INSERT INTO t (id) VALUES (1)").status());
    (void)tx.Exec("INSERT INTO t (id) VALUES (1)");  // fails; PostgreSQL aborts the transaction
    return Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kAborted) << status.ToString();
  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db->Query("SELECT COUNT(*) FROM t"));
  EXPECT_EQ(rows.Int(0, 0), 0);
}

TEST_F(PostgresTest, ResultTypesAndTextParameters) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions&) {}));
  MH_ASSERT_OK_AND_ASSIGN(
      Rows rows,
      db->Query("SELECT 1 = 1 AS yes, CAST(2 AS SMALLINT) AS small, CAST(1.5 AS REAL) AS real4, "
                "SUM(x) AS total, CAST($1 AS DOUBLE PRECISION) AS inf "
                "FROM (VALUES (CAST(9007199254740993 AS BIGINT)), (CAST(1 AS BIGINT))) AS v(x)",
                {std::numeric_limits<double>::infinity()}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.row(0)[0], Value(std::int64_t{1}));
  EXPECT_EQ(rows.row(0)[1], Value(std::int64_t{2}));
  EXPECT_EQ(rows.row(0)[2], Value(1.5));
  EXPECT_EQ(rows.row(0)[3], Value(std::string("9007199254740994")));  // NUMERIC stays exact
  EXPECT_EQ(rows.Int(0, 3), 9007199254740994);
  EXPECT_EQ(rows.Real(0, 4), std::numeric_limits<double>::infinity());

  auto nul = db->Query("SELECT CAST($1 AS TEXT)", {std::string("a\0b", 3)});
  EXPECT_EQ(nul.status().code(), StatusCode::kInvalidArgument) << nul.status().ToString();
}

TEST_F(PostgresTest, CachedStatementRecoversAfterItsTableChangesShape) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions& o) { o.pool_size = 1; }));
  MH_ASSERT_OK(db->Exec("CREATE TABLE shape (x BIGINT)"));
  MH_ASSERT_OK(db->Exec("INSERT INTO shape (x) VALUES (1)"));
  MH_ASSERT_OK_AND_ASSIGN(Rows before, db->Query("SELECT * FROM shape"));
  EXPECT_EQ(before.columns().size(), 1u);
  MH_ASSERT_OK(db->Exec("ALTER TABLE shape ADD COLUMN y TEXT"));
  // The prepared "SELECT *" now has a stale result type: PostgreSQL refuses it once, and
  // the adapter re-prepares it on the next call instead of failing forever.
  auto stale = db->Query("SELECT * FROM shape");
  EXPECT_EQ(stale.status().code(), StatusCode::kInternal) << stale.status().ToString();
  MH_ASSERT_OK_AND_ASSIGN(Rows after, db->Query("SELECT * FROM shape"));
  EXPECT_EQ(after.columns().size(), 2u);
}

TEST_F(PostgresTest, StatementCacheStaysCorrectPastItsCapacity) {
  MH_ASSERT_OK_AND_ASSIGN(auto db, Open([](PostgresOptions& o) { o.pool_size = 1; }));
  for (int round = 0; round < 2; ++round) {
    MH_ASSERT_OK(db->Read([](Session& s) -> Status {
      for (int k = 0; k < 300; ++k) {
        MH_ASSIGN_OR_RETURN(Rows rows,
                            s.Query("SELECT CAST($1 AS BIGINT) + " + std::to_string(k), {1}));
        if (rows.Int(0, 0) != k + 1) return Internal("wrong result for k=" + std::to_string(k));
      }
      return Status::Ok();
    }));
  }
}

}  // namespace
}  // namespace milkyhoop::sql::testing
