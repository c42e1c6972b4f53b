#pragma once
// One libpq connection with its cache of named prepared statements. Not thread-safe: the pool
// hands each connection to one caller at a time.

#include <libpq-fe.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "lru_cache.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sql::internal {

struct PgConnectOptions {
  std::string dsn;               // may hold a password: never put it in a message
  std::string application_name;  // shown in pg_stat_activity; empty → libpq's default
  std::string session_setup;     // run after every (re)connect: search_path, timeouts
  std::string password;          // the DSN's password, removed from libpq's error messages
  int connect_timeout_s = 5;     // used when the DSN does not set connect_timeout itself
};

class PgConnection {
 public:
  // `options` must outlive the connection (the pool owns both).
  static Result<std::unique_ptr<PgConnection>> Connect(const PgConnectOptions& options);
  ~PgConnection();
  PgConnection(const PgConnection&) = delete;
  PgConnection& operator=(const PgConnection&) = delete;

  Result<Rows> Query(std::string_view sql, std::span<const Value> params);
  Result<std::int64_t> Exec(std::string_view sql, std::span<const Value> params);
  // Simple-protocol execution of one or more statements without parameters.
  Status ExecScript(std::string_view sql);
  // COMMIT that notices when PostgreSQL rolled back instead (a statement of the transaction
  // failed and the caller carried on): that is kAborted, not success.
  Status Commit();
  void RollbackIfOpen();

  // Set once the link to the server is lost; the pool then drops or resets the connection.
  bool broken() const { return broken_; }
  // A cheap check before reuse, without a round trip: an idle session has nothing to read, so
  // readable data or a hang-up means the server ended it (restart, pg_terminate_backend).
  bool LooksHealthy() const;
  // Reconnects with the same parameters. Server-side prepared statements die with the old
  // session, so the statement cache is dropped too.
  Status Reset();

 private:
  struct Statement {
    std::string name;
    int param_count = 0;
  };
  struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
  };
  using PgResult = std::unique_ptr<PGresult, ResultDeleter>;
  static constexpr std::size_t kMaxCachedStatements = 128;

  PgConnection(PGconn* conn, const PgConnectOptions& options) : conn_(conn), options_(options) {}
  Result<const Statement*> Prepare(std::string_view sql);
  Result<PgResult> Execute(std::string_view sql, std::span<const Value> params);
  Status ResultError(const PGresult* result);
  Status RunSessionSetup();
  std::string ConnectionMessage() const;

  PGconn* conn_;
  const PgConnectOptions& options_;
  bool broken_ = false;
  std::uint64_t next_statement_ = 0;
  LruCache<Statement> cache_{kMaxCachedStatements};
};

}  // namespace milkyhoop::sql::internal
