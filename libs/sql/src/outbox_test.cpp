// The transactional outbox and consumer idempotency on both backends.
#include "milkyhoop/sql/outbox.hpp"

#include "milkyhoop/sql/migration.hpp"
#include "testing/sql_test_support.hpp"

namespace milkyhoop::sql::testing {
namespace {

class OutboxEvents {
 public:
  static OutboxEvent Make(std::string id, std::string payload) {
    OutboxEvent e;
    e.id = std::move(id);
    e.type = "test.thing.happened";
    e.tenant_id = "org_1";
    e.payload = std::move(payload);
    e.trace_id = "trace-1";
    e.created_at_ms = 1700000000000;
    return e;
  }
};

// Bytes that would not survive a TEXT column unencoded.
constexpr char kBinaryBytes[] = "\x00\xff\x01 binary \"quoted\"\n\x80";
const std::string kBinary(kBinaryBytes, sizeof(kBinaryBytes) - 1);

TEST_P(SqlBackendTest, OutboxAppendFetchMarkSentInOrder) {
  MH_ASSERT_OK(Migrate(*db_, "outboxtest", {}));
  MH_ASSERT_OK(db_->Exec("CREATE TABLE orders (id TEXT PRIMARY KEY)"));
  // The state change and its events commit together.
  MH_ASSERT_OK(db_->Transaction([](Session& tx) -> Status {
    MH_TRY(tx.Exec("INSERT INTO orders (id) VALUES ($1)", {"o1"}).status());
    MH_TRY(AppendOutbox(tx, OutboxEvents::Make("evt_1", kBinary)));
    MH_TRY(AppendOutbox(tx, OutboxEvents::Make("evt_2", "")));
    return AppendOutbox(tx, OutboxEvents::Make("evt_3", "three"));
  }));

  MH_ASSERT_OK_AND_ASSIGN(std::vector<OutboxEvent> events, FetchUnsentOutbox(*db_, 10));
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].id, "evt_1");
  EXPECT_EQ(events[0].payload, kBinary);
  EXPECT_EQ(events[0].type, "test.thing.happened");
  EXPECT_EQ(events[0].tenant_id, "org_1");
  EXPECT_EQ(events[0].trace_id, "trace-1");
  EXPECT_EQ(events[0].created_at_ms, 1700000000000);
  EXPECT_EQ(events[0].attempts, 0);
  EXPECT_EQ(events[1].payload, "");
  EXPECT_LT(events[0].seq, events[1].seq);
  EXPECT_LT(events[1].seq, events[2].seq);

  MH_ASSERT_OK_AND_ASSIGN(std::vector<OutboxEvent> first, FetchUnsentOutbox(*db_, 1));
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, "evt_1");  // oldest first, limit respected

  MH_ASSERT_OK(MarkOutboxSent(*db_, {events[0].seq, events[1].seq}));
  MH_ASSERT_OK_AND_ASSIGN(std::int64_t unsent, CountUnsentOutbox(*db_));
  EXPECT_EQ(unsent, 1);
  MH_ASSERT_OK_AND_ASSIGN(std::vector<OutboxEvent> rest, FetchUnsentOutbox(*db_, 10));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].id, "evt_3");

  MH_ASSERT_OK(RecordOutboxFailure(*db_, rest[0].seq));
  MH_ASSERT_OK(RecordOutboxFailure(*db_, rest[0].seq));
  MH_ASSERT_OK_AND_ASSIGN(rest, FetchUnsentOutbox(*db_, 10));
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].attempts, 2);
  EXPECT_EQ(RecordOutboxFailure(*db_, 999999).code(), StatusCode::kNotFound);
  MH_EXPECT_OK(MarkOutboxSent(*db_, {}));
}

TEST_P(SqlBackendTest, OutboxEventsOfARolledBackTransactionVanish) {
  MH_ASSERT_OK(Migrate(*db_, "outboxtest", {}));
  Status status = db_->Transaction([](Session& tx) -> Status {
    MH_TRY(AppendOutbox(tx, OutboxEvents::Make("evt_lost", "x")));
    return Aborted("state change failed");
  });
  EXPECT_EQ(status.code(), StatusCode::kAborted);
  MH_ASSERT_OK_AND_ASSIGN(std::int64_t unsent, CountUnsentOutbox(*db_));
  EXPECT_EQ(unsent, 0);
}

TEST_P(SqlBackendTest, OutboxRefusesDuplicateAndIncompleteEvents) {
  MH_ASSERT_OK(Migrate(*db_, "outboxtest", {}));
  auto append = [&](const OutboxEvent& e) {
    return db_->Transaction([&](Session& tx) { return AppendOutbox(tx, e); });
  };
  MH_ASSERT_OK(append(OutboxEvents::Make("evt_1", "x")));
  EXPECT_EQ(append(OutboxEvents::Make("evt_1", "y")).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(append(OutboxEvents::Make("", "y")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FetchUnsentOutbox(*db_, 0).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(SqlBackendTest, MarkEventProcessedIsIdempotentInsideATransaction) {
  MH_ASSERT_OK(Migrate(*db_, "outboxtest", {}));
  MH_ASSERT_OK(db_->Exec("CREATE TABLE effects (event_id TEXT NOT NULL)"));
  // A consumer applying the same delivery three times changes state once.
  auto consume = [&](const std::string& event_id, bool* fresh) {
    return db_->Transaction([&](Session& tx) -> Status {
      MH_ASSIGN_OR_RETURN(*fresh, MarkEventProcessed(tx, "reporting", event_id));
      if (!*fresh) return Status::Ok();
      // The transaction is still usable after a duplicate on PostgreSQL too (no failed
      // statement aborted it); prove it by writing.
      return tx.Exec("INSERT INTO effects (event_id) VALUES ($1)", {event_id}).status();
    });
  };
  bool fresh = false;
  MH_ASSERT_OK(consume("evt_1", &fresh));
  EXPECT_TRUE(fresh);
  MH_ASSERT_OK(consume("evt_1", &fresh));
  EXPECT_FALSE(fresh);
  MH_ASSERT_OK(db_->Transaction([](Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(bool again, MarkEventProcessed(tx, "reporting", "evt_1"));
    if (again) return Internal("duplicate reported as new");
    return tx.Exec("INSERT INTO effects (event_id) VALUES ('after-duplicate')").status();
  }));
  // Another consumer processes the same event independently.
  MH_ASSERT_OK(db_->Transaction([&](Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(fresh, MarkEventProcessed(tx, "audit", "evt_1"));
    return Status::Ok();
  }));
  EXPECT_TRUE(fresh);
  MH_ASSERT_OK_AND_ASSIGN(Rows rows, db_->Query("SELECT event_id FROM effects ORDER BY event_id"));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows.Text(0, 0), "after-duplicate");
  EXPECT_EQ(rows.Text(1, 0), "evt_1");
}

}  // namespace
}  // namespace milkyhoop::sql::testing
