// The PostgreSQL adapter: a pool of libpq connections, each confined to the service's schema
// through its search_path. A connection that lost its server is replaced, and work that had
// not yet run anything is retried once on a fresh connection, so a database restart costs
// callers at most the statements that were in flight.

#include <libpq-fe.h>

#include <chrono>
#include <optional>

#include "guarded_call.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/sql/database.hpp"
#include "postgres/pg_connection.hpp"
#include "postgres/pg_pool.hpp"

namespace milkyhoop::sql {
namespace {

using internal::PgConnection;
using internal::PgPool;

// Schema names are spliced into SQL (identifiers cannot be parameters), so they are held to
// a plain lowercase identifier within PostgreSQL's 63-byte limit.
bool IsValidSchemaName(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  if (!(name[0] == '_' || (name[0] >= 'a' && name[0] <= 'z'))) return false;
  for (char c : name) {
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// The password the DSN carries, so libpq messages can be scrubbed of it. nullopt when libpq
// cannot parse the DSN (its parse error may quote the DSN, so it is not passed on).
std::optional<std::string> DsnPassword(const std::string& dsn) {
  char* error = nullptr;
  PQconninfoOption* options = PQconninfoParse(dsn.c_str(), &error);
  if (options == nullptr) {
    PQfreemem(error);
    return std::nullopt;
  }
  std::string password;
  for (const PQconninfoOption* o = options; o->keyword != nullptr; ++o) {
    if (std::string_view(o->keyword) == "password" && o->val != nullptr) password = o->val;
  }
  PQconninfoFree(options);
  return password;
}

class PgSession final : public Session {
 public:
  explicit PgSession(PgConnection& conn) : conn_(conn) {}
  using Session::Exec;
  using Session::Query;

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    return Count(conn_.Query(sql, params));
  }
  Result<std::int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    return Count(conn_.Exec(sql, params));
  }
  Status ExecScript(std::string_view sql) override {
    Status status = conn_.ExecScript(sql);
    if (status.ok()) ++succeeded_;
    return status;
  }
  Dialect dialect() const override { return Dialect::kPostgres; }

  // The connection broke before any statement of this session took effect: running the
  // whole body again elsewhere cannot apply anything twice.
  bool LostBeforeFirstSuccess() const { return succeeded_ == 0 && conn_.broken(); }

 private:
  template <typename T>
  Result<T> Count(Result<T> result) {
    if (result.ok()) ++succeeded_;
    return result;
  }

  PgConnection& conn_;
  int succeeded_ = 0;
};

class PgDatabase final : public Database {
 public:
  PgDatabase(std::string schema, internal::PgConnectOptions options, int pool_size,
             std::chrono::milliseconds acquire_timeout)
      : schema_(std::move(schema)), pool_(std::move(options), pool_size, acquire_timeout) {}

  Dialect dialect() const override { return Dialect::kPostgres; }
  std::string Describe() const override { return "postgres:" + schema_; }

  Status Transaction(const std::function<Status(Session&)>& fn) override {
    MH_ASSIGN_OR_RETURN(PgPool::Lease lease, Begin());
    PgSession session(*lease);
    Status status = internal::CallGuarded(fn, session);
    if (!status.ok()) {
      lease->RollbackIfOpen();
      return status;
    }
    // A connection lost during COMMIT leaves the outcome unknown: kUnavailable, not retried.
    return lease->Commit();
  }

  // Retried once on a fresh connection when the link broke before the body's first statement
  // succeeded (typically: the server restarted while the connection sat idle).
  Status Read(const std::function<Status(Session&)>& fn) override {
    for (int attempt = 0;; ++attempt) {
      MH_ASSIGN_OR_RETURN(PgPool::Lease lease, pool_.Acquire(/*fresh=*/attempt > 0));
      PgSession session(*lease);
      Status status = internal::CallGuarded(fn, session);
      if (status.ok() || attempt > 0 || !session.LostBeforeFirstSuccess()) return status;
      lease.Discard();
      MH_LOG_WARN("postgres read retried after a lost connection", {"db", Describe()});
    }
  }

  Status Ping() override {
    return Read([](Session& s) { return s.Query("SELECT 1").status(); });
  }

  // Checks the server answers and creates the schema if it is missing.
  Status Bootstrap() {
    MH_ASSIGN_OR_RETURN(PgPool::Lease lease, pool_.Acquire());
    // Look before creating: CREATE SCHEMA checks the CREATE privilege even when the schema
    // exists, and a DBA may have made it for a role that lacks that privilege.
    const Value name = schema_;
    MH_ASSIGN_OR_RETURN(Rows found, lease->Query("SELECT 1 FROM pg_namespace WHERE nspname = $1",
                                                 std::span<const Value>(&name, 1)));
    if (!found.empty()) return Status::Ok();
    Status created = lease->ExecScript("CREATE SCHEMA IF NOT EXISTS \"" + schema_ + "\"");
    // Two processes creating it at once: the loser sees a unique violation; the schema exists.
    if (created.code() == StatusCode::kAlreadyExists) return Status::Ok();
    return created;
  }

 private:
  // BEGIN, retried once on a fresh connection when the pooled one turns out to be dead
  // (nothing of the transaction has run yet, so the retry is safe).
  Result<PgPool::Lease> Begin() {
    for (int attempt = 0;; ++attempt) {
      MH_ASSIGN_OR_RETURN(PgPool::Lease lease, pool_.Acquire(/*fresh=*/attempt > 0));
      Status begun = lease->ExecScript("BEGIN");
      if (begun.ok()) return lease;
      if (!lease->broken() || attempt > 0) return begun;
      lease.Discard();
    }
  }

  const std::string schema_;
  PgPool pool_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options) {
  if (!IsValidSchemaName(options.schema)) {
    return InvalidArgument("postgres: schema name must match [a-z_][a-z0-9_]{0,62}");
  }
  if (options.pool_size < 1) return InvalidArgument("postgres: pool_size must be at least 1");
  if (options.acquire_timeout_ms < 0 || options.statement_timeout_ms < 0) {
    return InvalidArgument("postgres: timeouts must be >= 0");
  }
  std::optional<std::string> password = DsnPassword(options.dsn);
  if (!password) {
    return InvalidArgument("postgres: the DSN is not a valid libpq connection string or URI");
  }

  internal::PgConnectOptions connect;
  connect.dsn = options.dsn;
  connect.application_name = options.application_name;
  connect.password = std::move(*password);
  // Per session, so it survives reconnects; 0 disables the timeout, as in PostgreSQL.
  connect.session_setup =
      "SET search_path TO \"" + options.schema +
      "\"; SET statement_timeout = " + std::to_string(options.statement_timeout_ms);

  auto db = std::make_unique<PgDatabase>(options.schema, std::move(connect), options.pool_size,
                                         std::chrono::milliseconds(options.acquire_timeout_ms));
  Status ready = db->Bootstrap();
  if (!ready.ok()) {
    return Status(ready.code(), "cannot open " + db->Describe() + ": " + ready.message());
  }
  MH_LOG_INFO("database opened", {"db", db->Describe()}, {"pool_size", options.pool_size});
  return std::unique_ptr<Database>(std::move(db));
}

}  // namespace milkyhoop::sql
