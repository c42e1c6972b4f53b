#pragma once
// One SQL interface, two adapters (SQLite and PostgreSQL). Services write portable SQL with
// numbered placeholders ($1, $2, ...) that both adapters accept, and keep to the common subset
// of types: TEXT, BIGINT/INTEGER, DOUBLE PRECISION. Errors come back as Status:
//   unique/primary-key violation → kAlreadyExists, serialization failure → kAborted,
//   lost connection / busy database / pool exhausted → kUnavailable, anything else → kInternal.
// Also: other constraint violations (NOT NULL, CHECK, foreign key) → kFailedPrecondition,
// PostgreSQL statement_timeout → kDeadlineExceeded, wrong placeholder use → kInvalidArgument.
// Placeholders must be plain $1..$N (each may repeat, in any order, and all must be used); do
// not follow one with a PostgreSQL '::type' cast, which SQLite reads as part of the name: write
// CAST($1 AS type).

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::sql {

enum class Dialect : std::uint8_t { kSqlite, kPostgres };

// A parameter or a cell: NULL, integer, real or text (bytes are stored as text by callers).
using Value = std::variant<std::monostate, std::int64_t, double, std::string>;
inline constexpr std::monostate Null{};

class Rows {
 public:
  Rows() = default;
  Rows(std::vector<std::string> columns, std::vector<std::vector<Value>> rows)
      : columns_(std::move(columns)), rows_(std::move(rows)) {}

  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const std::vector<std::string>& columns() const { return columns_; }
  const std::vector<Value>& row(std::size_t r) const { return rows_[r]; }

  bool IsNull(std::size_t r, std::size_t c) const;
  // Integers are returned as-is; text holding a decimal integer is parsed; NULL → 0.
  std::int64_t Int(std::size_t r, std::size_t c) const;
  double Real(std::size_t r, std::size_t c) const;
  // Text as-is; numbers formatted; NULL → "".
  std::string Text(std::size_t r, std::size_t c) const;
  std::optional<std::string> OptText(std::size_t r, std::size_t c) const;
  // Column index by name; -1 if absent.
  int Column(std::string_view name) const;

 private:
  std::vector<std::string> columns_;
  std::vector<std::vector<Value>> rows_;
};

// A connection, possibly inside a transaction. Not thread-safe; used by one caller at a time.
class Session {
 public:
  virtual ~Session() = default;
  virtual Result<Rows> Query(std::string_view sql, std::span<const Value> params) = 0;
  // Returns the number of rows changed.
  virtual Result<std::int64_t> Exec(std::string_view sql, std::span<const Value> params) = 0;
  // Several statements, no parameters (migrations).
  virtual Status ExecScript(std::string_view sql) = 0;
  virtual Dialect dialect() const = 0;

  Result<Rows> Query(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Query(sql, std::span<const Value>(params.begin(), params.size()));
  }
  Result<std::int64_t> Exec(std::string_view sql, std::initializer_list<Value> params = {}) {
    return Exec(sql, std::span<const Value>(params.begin(), params.size()));
  }
};

class Database {
 public:
  virtual ~Database() = default;
  virtual Dialect dialect() const = 0;
  // Runs `fn` in one transaction (on SQLite: the single writer, BEGIN IMMEDIATE). Commits when
  // fn returns OK; rolls back and returns fn's status otherwise.
  virtual Status Transaction(const std::function<Status(Session&)>& fn) = 0;
  // Runs `fn` on a connection outside any explicit transaction (SQLite: a reader connection;
  // use Transaction for writes). On PostgreSQL, when the connection turns out to be dead
  // before fn's first statement succeeds (server restarted), fn runs once more on a fresh
  // connection: keep it free of side effects outside the session.
  virtual Status Read(const std::function<Status(Session&)>& fn) = 0;
  // Checks the database answers (for /readyz).
  virtual Status Ping() = 0;
  // A short description without secrets, e.g. "sqlite:/data/auth.db" or "postgres:auth".
  virtual std::string Describe() const = 0;

  // Convenience: one statement on a reader / in its own transaction.
  Result<Rows> Query(std::string_view sql, std::initializer_list<Value> params = {});
  Result<std::int64_t> Exec(std::string_view sql, std::initializer_list<Value> params = {});
};

struct SqliteOptions {
  std::string path;  // file path; ":memory:" is refused (readers would not share it)
  int busy_timeout_ms = 5000;
  int readers = 4;  // reader connections beside the one writer
};
Result<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options);

struct PostgresOptions {
  std::string dsn;     // libpq connection string or URI
  std::string schema;  // created if missing; the search_path of every connection
  int pool_size = 8;
  int acquire_timeout_ms = 5000;
  int statement_timeout_ms = 30000;
  std::string application_name = "milkyhoop";  // shown in pg_stat_activity; "" → DSN/libpq's
};
Result<std::unique_ptr<Database>> OpenPostgres(const PostgresOptions& options);

}  // namespace milkyhoop::sql
