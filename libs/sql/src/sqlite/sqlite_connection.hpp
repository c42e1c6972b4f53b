#pragma once
// One sqlite3 handle with its cache of prepared statements. Not thread-safe: the database hands
// each connection to one caller at a time.

#include <sqlite3.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lru_cache.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sql::internal {

class SqliteConnection {
 public:
  enum class Mode : std::uint8_t { kReadWrite, kReadOnly };

  // Opens `path` (created when kReadWrite) and applies the per-connection pragmas.
  static Result<std::unique_ptr<SqliteConnection>> Open(const std::string& path, Mode mode,
                                                        int busy_timeout_ms);
  ~SqliteConnection();
  SqliteConnection(const SqliteConnection&) = delete;
  SqliteConnection& operator=(const SqliteConnection&) = delete;

  Result<Rows> Query(std::string_view sql, std::span<const Value> params);
  Result<std::int64_t> Exec(std::string_view sql, std::span<const Value> params);
  Status ExecScript(std::string_view sql);

  // True while an explicit transaction is open (BEGIN without COMMIT/ROLLBACK yet).
  bool InTransaction() const;
  // Best effort; used to return a connection to a clean state.
  void RollbackIfOpen();

 private:
  struct StmtDeleter {
    void operator()(sqlite3_stmt* s) const { sqlite3_finalize(s); }
  };
  struct Prepared {
    std::unique_ptr<sqlite3_stmt, StmtDeleter> stmt;
    // slots[k - 1] is SQLite's bind index of placeholder $k.
    std::vector<int> slots;
  };
  // Enough for every statement of a service; dynamic SQL cannot grow it past this.
  static constexpr std::size_t kMaxCachedStatements = 128;

  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  Result<Prepared*> Prepare(std::string_view sql);
  Status Bind(const Prepared& prepared, std::span<const Value> params);
  // Runs a statement to completion, collecting rows when `out` is set.
  Status Run(std::string_view sql, std::span<const Value> params, Rows* out, std::int64_t* changed);
  Status LastError() const;

  sqlite3* db_;
  LruCache<Prepared> cache_{kMaxCachedStatements};
};

}  // namespace milkyhoop::sql::internal
