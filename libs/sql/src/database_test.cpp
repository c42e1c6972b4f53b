// Repository-level behaviour every adapter must share; runs on SQLite and PostgreSQL.
#include <atomic>
#include <limits>
#include <stdexcept>
#include <thread>

#include "testing/sql_test_support.hpp"

namespace milkyhoop::sql::testing {
namespace {

constexpr std::int64_t kMaxInt = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kMinInt = std::numeric_limits<std::int64_t>::min();

Result<std::int64_t> CountRows(Database& db, const std::string& table) {
  MH_ASSIGN_OR_RETURN(Rows rows, db.Query("SELECT COUNT(*) FROM " + table));
  return rows.Int(0, 0);
}

TEST_P(SqlBackendTest, CrudRoundTripKeepsEveryValueType) {
  MH_ASSERT_OK(db_->Exec(
      "CREATE TABLE items (id TEXT PRIMARY KEY, n BIGINT, r DOUBLE PRECISION, t TEXT, note TEXT)"));
  const std::string text = "h\xc3\xa9llo 'single' \"double\" ; -- not a comment $1";
  MH_ASSERT_OK_AND_ASSIGN(
      std::int64_t inserted,
      db_->Exec("INSERT INTO items (id, n, r, t, note) VALUES ($1, $2, $3, $4, $5)",
                {"a", kMaxInt, 0.1, text, Null}));
  EXPECT_EQ(inserted, 1);
  MH_ASSERT_OK(db_->Exec("INSERT INTO items (id, n, r, t, note) VALUES ($1, $2, $3, $4, $5)",
                         {"b", kMinInt, -1.5e300, "", "x"}));

  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db_->Query("SELECT id, n, r, t, note FROM items ORDER BY id"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.columns(), (std::vector<std::string>{"id", "n", "r", "t", "note"}));
  EXPECT_EQ(rows.row(0), (std::vector<Value>{"a", kMaxInt, 0.1, text, Null}));
  EXPECT_EQ(rows.row(1), (std::vector<Value>{"b", kMinInt, -1.5e300, "", "x"}));
  EXPECT_TRUE(rows.IsNull(0, 4));
  EXPECT_EQ(rows.OptText(0, 4), std::nullopt);
  EXPECT_EQ(rows.OptText(1, 4), "x");
  EXPECT_EQ(rows.Int(0, rows.Column("n")), kMaxInt);
  EXPECT_EQ(rows.Real(0, rows.Column("r")), 0.1);

  MH_ASSERT_OK_AND_ASSIGN(
      std::int64_t updated,
      db_->Exec("UPDATE items SET note = $1, n = n + 1 WHERE id = $2", {Null, "b"}));
  EXPECT_EQ(updated, 1);
  MH_ASSERT_OK_AND_ASSIGN(rows, db_->Query("SELECT n, note FROM items WHERE id = $1", {"b"}));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.Int(0, 0), kMinInt + 1);
  EXPECT_TRUE(rows.IsNull(0, 1));

  MH_ASSERT_OK_AND_ASSIGN(std::int64_t deleted,
                          db_->Exec("DELETE FROM items WHERE id <> $1", {"zzz"}));
  EXPECT_EQ(deleted, 2);
  MH_ASSERT_OK_AND_ASSIGN(rows, db_->Query("SELECT id FROM items"));
  EXPECT_TRUE(rows.empty());
  // DDL changes no rows.
  MH_ASSERT_OK_AND_ASSIGN(std::int64_t ddl, db_->Exec("CREATE TABLE other (x BIGINT)"));
  EXPECT_EQ(ddl, 0);
}

TEST_P(SqlBackendTest, PlaceholdersBindByNumberOutOfOrderAndRepeated) {
  MH_ASSERT_OK(db_->Exec("CREATE TABLE p (a TEXT, b BIGINT, c TEXT)"));
  // $3 first and $1 twice: binding must follow the numbers, not the order of appearance.
  MH_ASSERT_OK(db_->Exec("INSERT INTO p (c, a, b) VALUES ($3, $1, $2)", {"one", 2, "three"}));
  MH_ASSERT_OK(db_->Exec("INSERT INTO p (a, b, c) VALUES ($2, $1, $2)", {7, "same"}));
  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db_->Query("SELECT a, b, c FROM p ORDER BY b"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.row(0), (std::vector<Value>{"one", std::int64_t{2}, "three"}));
  EXPECT_EQ(rows.row(1), (std::vector<Value>{"same", std::int64_t{7}, "same"}));

  MH_ASSERT_OK_AND_ASSIGN(
      rows, db_->Query("SELECT b FROM p WHERE a = $2 OR c = $2 OR b = $1 ORDER BY b", {2, "same"}));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.Int(0, 0), 2);
  EXPECT_EQ(rows.Int(1, 0), 7);
}

TEST_P(SqlBackendTest, WrongParameterCountIsInvalidArgument) {
  MH_ASSERT_OK(db_->Exec("CREATE TABLE p (a TEXT, b TEXT)"));
  auto too_few = db_->Exec("INSERT INTO p (a, b) VALUES ($1, $2)", {"x"});
  EXPECT_EQ(too_few.status().code(), StatusCode::kInvalidArgument) << too_few.status().ToString();
  auto too_many = db_->Query("SELECT a FROM p WHERE a = $1", {"x", "y"});
  EXPECT_EQ(too_many.status().code(), StatusCode::kInvalidArgument) << too_many.status().ToString();
  // The same statements still work with the right values (nothing was left half-bound).
  MH_EXPECT_OK(db_->Exec("INSERT INTO p (a, b) VALUES ($1, $2)", {"x", "y"}));
}

TEST_P(SqlBackendTest, TransactionCommitsWhenBodySucceeds) {
  MH_ASSERT_OK(db_->Exec("CREATE TABLE t (id BIGINT PRIMARY KEY)"));
  MH_ASSERT_OK(db_->Transaction([](Session& tx) -> Status {
    MH_TRY(tx.Exec("INSERT INTO t (id) VALUES ($1)", {1}).status());
    MH_TRY(tx.Exec("INSERT INTO t (id) VALUES ($1)", {2}).status());
    // The transaction sees its own writes.
    MH_ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT COUNT(*) FROM t"));
    return rows.Int(0, 0) == 2 ? Status::Ok() : Internal("own writes not visible");
  }));
  MH_ASSERT_OK_AND_ASSIGN(std::int64_t n, CountRows(*db_, "t"));
  EXPECT_EQ(n, 2);
}

TEST_P(SqlBackendTest, TransactionRollsBackWhenBodyFails) {
  MH_ASSERT_OK(db_->Exec("CREATE TABLE t (id BIGINT PRIMARY KEY)"));
  Status status = db_->Transaction([](Session& tx) -> Status {
    MH_TRY(tx.Exec("INSERT INTO t (id) VALUES ($1)", {1}).status());
    return NotFound("the body gave up");
  });
  EXPECT_EQ(status.code(), StatusCode::kNotFound);
  EXPECT_EQ(status.message(), "the body gave up");  // fn's status comes back unchanged

  status = db_->Transaction([](Session& tx) -> Status {
    MH_TRY(tx.Exec("INSERT INTO t (id) VALUES ($1)", {2}).status());
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_NE(status.message().find("boom"), std::string::npos);

  MH_ASSERT_OK_AND_ASSIGN(std::int64_t n, CountRows(*db_, "t"));
  EXPECT_EQ(n, 0);
  // The writer is usable afterwards.
  MH_EXPECT_OK(db_->Exec("INSERT INTO t (id) VALUES ($1)", {3}));
}

TEST_P(SqlBackendTest, UniqueViolationIsAlreadyExistsAndRollsBack) {
  MH_ASSERT_OK(db_->Exec("CREATE TABLE u (id TEXT PRIMARY KEY, email TEXT UNIQUE)"));
  MH_ASSERT_OK(db_->Exec("INSERT INTO u (id, email) VALUES ($1, $2)", {"u1", "a@x"}));

  auto direct = db_->Exec("INSERT INTO u (id, email) VALUES ($1, $2)", {"u2", "a@x"});
  EXPECT_EQ(direct.status().code(), StatusCode::kAlreadyExists) << direct.status().ToString();
  auto primary = db_->Exec("INSERT INTO u (id, email) VALUES ($1, $2)", {"u1", "b@x"});
  EXPECT_EQ(primary.status().code(), StatusCode::kAlreadyExists) << primary.status().ToString();

  Status status = db_->Transaction([](Session& tx) -> Status {
    MH_TRY(tx.Exec("INSERT INTO u (id, email) VALUES ($1, $2)", {"u3", "c@x"}).status());
    MH_TRY(tx.Exec("INSERT INTO u (id, email) VALUES ($1, $2)", {"u4", "a@x"}).status());
    return Status::Ok();
  });
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db_->Query("SELECT id FROM u ORDER BY id"));
  ASSERT_EQ(rows.size(), 1u);  // u3 was rolled back with the failed insert
  EXPECT_EQ(rows.Text(0, 0), "u1");
}

TEST_P(SqlBackendTest, OtherConstraintViolationsAreFailedPrecondition) {
  MH_ASSERT_OK(
      db_->Exec("CREATE TABLE c (id TEXT PRIMARY KEY, qty BIGINT NOT NULL CHECK (qty >= 0))"));
  auto not_null = db_->Exec("INSERT INTO c (id, qty) VALUES ($1, $2)", {"a", Null});
  EXPECT_EQ(not_null.status().code(), StatusCode::kFailedPrecondition)
      << not_null.status().ToString();
  auto check = db_->Exec("INSERT INTO c (id, qty) VALUES ($1, $2)", {"a", -1});
  EXPECT_EQ(check.status().code(), StatusCode::kFailedPrecondition) << check.status().ToString();
  auto syntax = db_->Query("SELEKT 1");
  EXPECT_EQ(syntax.status().code(), StatusCode::kInternal) << syntax.status().ToString();
}

TEST_P(SqlBackendTest, ConcurrentConditionalIncrementsAreExact) {
  MH_ASSERT_OK(db_->Exec("CREATE TABLE counter (id BIGINT PRIMARY KEY, n BIGINT NOT NULL)"));
  MH_ASSERT_OK(db_->Exec("INSERT INTO counter (id, n) VALUES (1, 0)"));
  constexpr int kThreads = 8;
  constexpr int kIncrements = 25;
  std::atomic<int> failures{0};
  std::atomic<int> retries{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrements; ++i) {
        bool done = false;
        // Compare-and-set: read n, write n+1 only if nobody changed it meanwhile.
        for (int attempt = 0; attempt < 1000 && !done; ++attempt) {
          Status status = db_->Transaction([&](Session& tx) -> Status {
            MH_ASSIGN_OR_RETURN(Rows rows, tx.Query("SELECT n FROM counter WHERE id = 1"));
            const std::int64_t n = rows.Int(0, 0);
            MH_ASSIGN_OR_RETURN(
                std::int64_t changed,
                tx.Exec("UPDATE counter SET n = $1 WHERE id = 1 AND n = $2", {n + 1, n}));
            done = changed == 1;
            return Status::Ok();
          });
          if (status.code() == StatusCode::kAborted) continue;  // serialization: retry
          if (!status.ok()) {
            ADD_FAILURE() << status.ToString();
            ++failures;
            return;
          }
          if (!done) ++retries;
        }
        if (!done) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db_->Query("SELECT n FROM counter WHERE id = 1"));
  EXPECT_EQ(rows.Int(0, 0), kThreads * kIncrements) << "retries: " << retries.load();
}

TEST_P(SqlBackendTest, ReadersSeeCommittedDataWhileWriteIsOpen) {
  MH_ASSERT_OK(db_->Exec("CREATE TABLE t (id BIGINT PRIMARY KEY)"));
  MH_ASSERT_OK(db_->Exec("INSERT INTO t (id) VALUES (1)"));
  std::int64_t seen_inside = -1;
  std::int64_t seen_by_reader = -1;
  MH_ASSERT_OK(db_->Transaction([&](Session& tx) -> Status {
    MH_TRY(tx.Exec("INSERT INTO t (id) VALUES (2)").status());
    MH_ASSIGN_OR_RETURN(Rows inside, tx.Query("SELECT COUNT(*) FROM t"));
    seen_inside = inside.Int(0, 0);
    // Another thread reads while this write transaction is open: it must neither block nor
    // see the uncommitted row.
    std::thread reader([&] {
      auto rows = db_->Query("SELECT COUNT(*) FROM t");
      if (rows.ok()) seen_by_reader = rows->Int(0, 0);
    });
    reader.join();
    return Status::Ok();
  }));
  EXPECT_EQ(seen_inside, 2);
  EXPECT_EQ(seen_by_reader, 1);
  MH_ASSERT_OK_AND_ASSIGN(std::int64_t n, CountRows(*db_, "t"));
  EXPECT_EQ(n, 2);
}

TEST_P(SqlBackendTest, PingAndDescribe) {
  MH_EXPECT_OK(db_->Ping());
  const std::string description = db_->Describe();
  if (backend() == Backend::kSqlite) {
    EXPECT_TRUE(description.starts_with("sqlite:")) << description;
    EXPECT_EQ(db_->dialect(), Dialect::kSqlite);
  } else {
    EXPECT_EQ(description, "postgres:" + scratch_->schema());
    EXPECT_EQ(db_->dialect(), Dialect::kPostgres);
  }
}

TEST_P(SqlBackendTest, ExecScriptRunsSeveralStatements) {
  MH_ASSERT_OK(db_->Transaction([](Session& tx) {
    return tx.ExecScript(
        "CREATE TABLE s1 (x BIGINT); CREATE TABLE s2 (y TEXT);\n"
        "INSERT INTO s1 (x) VALUES (1); INSERT INTO s2 (y) VALUES ('a');");
  }));
  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db_->Query("SELECT x, y FROM s1, s2"));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows.Int(0, 0), 1);
  EXPECT_EQ(rows.Text(0, 1), "a");
}

}  // namespace
}  // namespace milkyhoop::sql::testing
