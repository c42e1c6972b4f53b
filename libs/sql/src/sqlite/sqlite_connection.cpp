#include "sqlite/sqlite_connection.hpp"

#include <limits>
#include <optional>

#include "sqlite/sqlite_error.hpp"

namespace milkyhoop::sql::internal {
namespace {

// Highest placeholder number accepted; far above any real statement, low enough that a typo
// like $99999999 cannot make us allocate a huge slot table.
constexpr int kMaxPlaceholder = 32766;

// "$12" → 12. Only plain $N names are portable to PostgreSQL.
std::optional<int> PlaceholderNumber(std::string_view name) {
  if (name.size() < 2 || name[0] != '$' || name[1] == '0') return std::nullopt;
  int n = 0;
  for (char c : name.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
    if (n > kMaxPlaceholder) return std::nullopt;
  }
  return n;
}

bool OnlySeparatorsLeft(const char* tail) {
  for (; tail != nullptr && *tail != '\0'; ++tail) {
    if (*tail != ';' && *tail != ' ' && *tail != '\n' && *tail != '\r' && *tail != '\t') {
      return false;
    }
  }
  return true;
}

Value ColumnValue(sqlite3_stmt* stmt, int c) {
  switch (sqlite3_column_type(stmt, c)) {
    case SQLITE_INTEGER:
      return static_cast<std::int64_t>(sqlite3_column_int64(stmt, c));
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, c);
    case SQLITE_TEXT: {
      const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
      return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt, c)));
    }
    case SQLITE_BLOB: {
      const auto* blob = static_cast<const char*>(sqlite3_column_blob(stmt, c));
      const auto size = static_cast<std::size_t>(sqlite3_column_bytes(stmt, c));
      return blob == nullptr ? std::string() : std::string(blob, size);
    }
    default:
      return Null;
  }
}

// Returns a cached statement to its idle state however Run leaves: it then holds no read
// snapshot (which would stop WAL checkpoints) and no pointers into the caller's parameters.
class ResetOnExit {
 public:
  explicit ResetOnExit(sqlite3_stmt* stmt) : stmt_(stmt) {}
  ~ResetOnExit() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  ResetOnExit(const ResetOnExit&) = delete;
  ResetOnExit& operator=(const ResetOnExit&) = delete;

 private:
  sqlite3_stmt* stmt_;
};

}  // namespace

Result<std::unique_ptr<SqliteConnection>> SqliteConnection::Open(const std::string& path, Mode mode,
                                                                 int busy_timeout_ms) {
  // NOMUTEX: SQLite's own per-connection mutex is redundant, we never share a connection.
  const int flags =
      SQLITE_OPEN_NOMUTEX |
      (mode == Mode::kReadOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  // Owned from here on: sqlite3_open_v2 may return a handle even when it fails.
  std::unique_ptr<SqliteConnection> conn(new SqliteConnection(db));
  if (rc != SQLITE_OK) {
    return SqliteError(rc, "cannot open " + path + ": " +
                               (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)));
  }
  sqlite3_extended_result_codes(db, 1);
  sqlite3_busy_timeout(db, busy_timeout_ms);
  // Double-quoted strings are identifiers only, as in PostgreSQL, so a typo cannot silently
  // turn a column name into a string literal on one dialect.
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DML, 0, nullptr);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DQS_DDL, 0, nullptr);
  if (mode == Mode::kReadWrite) {
    // WAL is a property of the file: set once by the writer, readers inherit it.
    MH_ASSIGN_OR_RETURN(Rows journal, conn->Query("PRAGMA journal_mode=WAL", {}));
    if (journal.Text(0, 0) != "wal") {
      return Internal("sqlite: cannot enable WAL on " + path + " (journal_mode is " +
                      journal.Text(0, 0) + ")");
    }
    MH_TRY(conn->ExecScript("PRAGMA synchronous=NORMAL"));
  }
  MH_TRY(conn->ExecScript("PRAGMA foreign_keys=ON"));
  return conn;
}

SqliteConnection::~SqliteConnection() {
  cache_.Clear();  // finalize statements first so the close is immediate
  sqlite3_close_v2(db_);
}

Result<Rows> SqliteConnection::Query(std::string_view sql, std::span<const Value> params) {
  Rows rows;
  std::int64_t changed = 0;
  MH_TRY(Run(sql, params, &rows, &changed));
  return rows;
}

Result<std::int64_t> SqliteConnection::Exec(std::string_view sql, std::span<const Value> params) {
  std::int64_t changed = 0;
  MH_TRY(Run(sql, params, nullptr, &changed));
  return changed;
}

Status SqliteConnection::ExecScript(std::string_view sql) {
  const std::string script(sql);  // sqlite3_exec wants a NUL-terminated string
  char* message = nullptr;
  const int rc = sqlite3_exec(db_, script.c_str(), nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return Status::Ok();
  Status status = SqliteError(rc, message != nullptr ? message : sqlite3_errstr(rc));
  sqlite3_free(message);
  return status;
}

bool SqliteConnection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

void SqliteConnection::RollbackIfOpen() {
  if (InTransaction()) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
}

Result<SqliteConnection::Prepared*> SqliteConnection::Prepare(std::string_view sql) {
  if (Prepared* cached = cache_.Find(sql)) return cached;
  if (sql.size() > static_cast<std::size_t>(std::numeric_limits<int>::max())) {
    return InvalidArgument("SQL statement too long");
  }
  sqlite3_stmt* raw = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    SQLITE_PREPARE_PERSISTENT, &raw, &tail);
  Prepared prepared{std::unique_ptr<sqlite3_stmt, StmtDeleter>(raw), {}};
  if (rc != SQLITE_OK) return LastError();
  if (raw == nullptr) return InvalidArgument("empty SQL statement");
  // `tail` points into sql, which is not NUL-terminated: bound the scan by hand.
  const std::string rest(tail, static_cast<std::size_t>(sql.data() + sql.size() - tail));
  if (!OnlySeparatorsLeft(rest.c_str())) {
    return InvalidArgument("one SQL statement per call (use ExecScript for scripts)");
  }

  const int count = sqlite3_bind_parameter_count(raw);
  for (int i = 1; i <= count; ++i) {
    const char* name = sqlite3_bind_parameter_name(raw, i);
    if (name == nullptr) {
      return InvalidArgument("anonymous '?' placeholders are not portable; write $1..$N");
    }
    const std::optional<int> number = PlaceholderNumber(name);
    if (!number) {
      return InvalidArgument(std::string("unsupported placeholder '") + name +
                             "': write $1..$N (SQLite reads '::' after a placeholder as part "
                             "of its name, so cast with CAST($1 AS type))");
    }
    if (static_cast<std::size_t>(*number) > prepared.slots.size()) {
      prepared.slots.resize(static_cast<std::size_t>(*number), 0);
    }
    prepared.slots[static_cast<std::size_t>(*number) - 1] = i;
  }
  for (std::size_t k = 0; k < prepared.slots.size(); ++k) {
    if (prepared.slots[k] == 0) {
      // PostgreSQL cannot type a placeholder the SQL never uses; refuse here too.
      return InvalidArgument("placeholder $" + std::to_string(k + 1) + " is not used by the SQL");
    }
  }
  cache_.EvictIfFull();  // the evicted statement is finalized by its deleter
  return &cache_.Insert(std::string(sql), std::move(prepared));
}

Status SqliteConnection::Bind(const Prepared& prepared, std::span<const Value> params) {
  if (params.size() != prepared.slots.size()) {
    return InvalidArgument("statement has " + std::to_string(prepared.slots.size()) +
                           " placeholders but " + std::to_string(params.size()) +
                           " values were given");
  }
  sqlite3_stmt* stmt = prepared.stmt.get();
  for (std::size_t k = 0; k < params.size(); ++k) {
    const int slot = prepared.slots[k];
    const Value& v = params[k];
    int rc = SQLITE_OK;
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
      rc = sqlite3_bind_int64(stmt, slot, *i);
    } else if (const auto* d = std::get_if<double>(&v)) {
      rc = sqlite3_bind_double(stmt, slot, *d);
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      // STATIC: the parameters outlive the step loop, and ResetOnExit clears the bindings.
      rc = sqlite3_bind_text64(stmt, slot, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else {
      rc = sqlite3_bind_null(stmt, slot);
    }
    if (rc != SQLITE_OK) return LastError();
  }
  return Status::Ok();
}

Status SqliteConnection::Run(std::string_view sql, std::span<const Value> params, Rows* out,
                             std::int64_t* changed) {
  MH_ASSIGN_OR_RETURN(Prepared * prepared, Prepare(sql));
  sqlite3_stmt* stmt = prepared->stmt.get();
  ResetOnExit reset(stmt);
  MH_TRY(Bind(*prepared, params));

  const sqlite3_int64 total_before = sqlite3_total_changes64(db_);
  const int ncols = sqlite3_column_count(stmt);
  std::vector<std::vector<Value>> rows;
  for (;;) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) break;
    if (rc != SQLITE_ROW) return LastError();
    if (out == nullptr) continue;
    std::vector<Value>& row = rows.emplace_back();
    row.reserve(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) row.push_back(ColumnValue(stmt, c));
  }
  // sqlite3_changes64 keeps the count of the last INSERT/UPDATE/DELETE even when this
  // statement was DDL or a SELECT; the total only moves when this statement changed rows.
  *changed = sqlite3_total_changes64(db_) == total_before ? 0 : sqlite3_changes64(db_);
  if (out != nullptr) {
    std::vector<std::string> columns;
    columns.reserve(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) {
      const char* name = sqlite3_column_name(stmt, c);
      columns.emplace_back(name != nullptr ? name : "");
    }
    *out = Rows(std::move(columns), std::move(rows));
  }
  return Status::Ok();
}

Status SqliteConnection::LastError() const {
  return SqliteError(sqlite3_extended_errcode(db_), sqlite3_errmsg(db_));
}

}  // namespace milkyhoop::sql::internal
