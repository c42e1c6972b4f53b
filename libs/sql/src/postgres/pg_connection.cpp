#include "postgres/pg_connection.hpp"

#include <poll.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "milkyhoop/core/log.hpp"
#include "postgres/pg_error.hpp"
#include "value_text.hpp"

namespace milkyhoop::sql::internal {
namespace {

// Type OIDs from PostgreSQL's pg_type.dat (stable across versions).
constexpr Oid kBoolOid = 16;
constexpr Oid kInt8Oid = 20;
constexpr Oid kInt2Oid = 21;
constexpr Oid kInt4Oid = 23;
constexpr Oid kFloat4Oid = 700;
constexpr Oid kFloat8Oid = 701;

// libpq messages span lines ("...failed: Connection refused\n\tIs the server running...").
std::string OneLine(const char* text) {
  std::string out;
  bool space = false;
  for (const char* p = text == nullptr ? "" : text; *p != '\0'; ++p) {
    if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += *p;
  }
  return out;
}

// Integers and reals come back typed, booleans as 0/1 (what SQLite gives for a comparison),
// everything else as text. NUMERIC stays text so no precision is lost; Rows::Int/Real parse it.
Value CellValue(const PGresult* result, int row, int col, Oid type) {
  if (PQgetisnull(result, row, col)) return Null;
  const std::string_view text(PQgetvalue(result, row, col),
                              static_cast<std::size_t>(PQgetlength(result, row, col)));
  switch (type) {
    case kInt2Oid:
    case kInt4Oid:
    case kInt8Oid:
      if (auto v = ParseInt(text)) return *v;
      break;
    case kFloat4Oid:
    case kFloat8Oid:
      if (auto v = ParseReal(text)) return *v;
      break;
    case kBoolOid:
      return static_cast<std::int64_t>(text == "t" ? 1 : 0);
    default:
      break;
  }
  return std::string(text);
}

// libpq prints notices ("relation already exists, skipping") to stderr by default, outside
// the structured log. Warnings are worth seeing; the rest is chatter.
void LogNotice(void* /*arg*/, const PGresult* notice) {
  const char* severity = PQresultErrorField(notice, PG_DIAG_SEVERITY_NONLOCALIZED);
  const std::string message = OneLine(PQresultErrorField(notice, PG_DIAG_MESSAGE_PRIMARY));
  if (severity != nullptr && std::strcmp(severity, "WARNING") == 0) {
    MH_LOG_WARN("postgres warning", {"message", message});
  } else {
    MH_LOG_DEBUG("postgres notice", {"message", message});
  }
}

}  // namespace

Result<std::unique_ptr<PgConnection>> PgConnection::Connect(const PgConnectOptions& options) {
  const std::string timeout = std::to_string(options.connect_timeout_s);
  // Order matters with expand_dbname: the DSN (expanded from "dbname") overrides the
  // parameters before it and is overridden by those after it.
  std::vector<const char*> keys = {"connect_timeout", "dbname"};
  std::vector<const char*> values = {timeout.c_str(), options.dsn.c_str()};
  if (!options.application_name.empty()) {
    keys.push_back("application_name");
    values.push_back(options.application_name.c_str());
  }
  keys.push_back(nullptr);
  values.push_back(nullptr);
  PGconn* raw = PQconnectdbParams(keys.data(), values.data(), /*expand_dbname=*/1);
  if (raw == nullptr) return Unavailable("postgres: out of memory creating a connection");
  std::unique_ptr<PgConnection> conn(new PgConnection(raw, options));
  PQsetNoticeReceiver(raw, LogNotice, nullptr);  // kept across PQreset
  if (PQstatus(raw) != CONNECTION_OK) {
    return Unavailable("postgres: cannot connect: " + conn->ConnectionMessage());
  }
  MH_TRY(conn->RunSessionSetup());
  return conn;
}

PgConnection::~PgConnection() { PQfinish(conn_); }

Result<Rows> PgConnection::Query(std::string_view sql, std::span<const Value> params) {
  MH_ASSIGN_OR_RETURN(PgResult result, Execute(sql, params));
  const PGresult* r = result.get();
  const int ncols = PQnfields(r);
  const int nrows = PQntuples(r);
  std::vector<std::string> columns;
  std::vector<Oid> types;
  for (int c = 0; c < ncols; ++c) {
    columns.emplace_back(PQfname(r, c));
    types.push_back(PQftype(r, c));
  }
  std::vector<std::vector<Value>> rows(static_cast<std::size_t>(nrows));
  for (int i = 0; i < nrows; ++i) {
    auto& row = rows[static_cast<std::size_t>(i)];
    row.reserve(static_cast<std::size_t>(ncols));
    for (int c = 0; c < ncols; ++c) row.push_back(CellValue(r, i, c, types[c]));
  }
  return Rows(std::move(columns), std::move(rows));
}

Result<std::int64_t> PgConnection::Exec(std::string_view sql, std::span<const Value> params) {
  MH_ASSIGN_OR_RETURN(PgResult result, Execute(sql, params));
  // "" for commands without a row count (DDL); a number for INSERT/UPDATE/DELETE/SELECT.
  return ParseInt(PQcmdTuples(result.get())).value_or(0);
}

Status PgConnection::ExecScript(std::string_view sql) {
  if (broken_) return Unavailable("postgres: connection lost");
  const std::string script(sql);
  PgResult result(PQexec(conn_, script.c_str()));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    return Status::Ok();
  }
  return ResultError(result.get());
}

Status PgConnection::Commit() {
  if (broken_) return Unavailable("postgres: connection lost");
  PgResult result(PQexec(conn_, "COMMIT"));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    return ResultError(result.get());
  }
  if (std::strcmp(PQcmdStatus(result.get()), "ROLLBACK") == 0) {
    return Aborted("postgres: transaction rolled back because a statement in it failed");
  }
  return Status::Ok();
}

void PgConnection::RollbackIfOpen() {
  if (broken_ || PQtransactionStatus(conn_) == PQTRANS_IDLE) return;
  PgResult result(PQexec(conn_, "ROLLBACK"));
  if (!result || PQresultStatus(result.get()) != PGRES_COMMAND_OK) {
    (void)ResultError(result.get());  // marks the connection broken if it is
  }
}

bool PgConnection::LooksHealthy() const {
  if (broken_ || PQstatus(conn_) != CONNECTION_OK) return false;
  if (PQtransactionStatus(conn_) != PQTRANS_IDLE) return false;
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  const int ready = poll(&fd, 1, /*timeout=*/0);
  return ready == 0 || (ready < 0 && errno == EINTR);
}

Status PgConnection::Reset() {
  cache_.Clear();
  PQreset(conn_);
  if (PQstatus(conn_) != CONNECTION_OK) {
    broken_ = true;
    return Unavailable("postgres: cannot reconnect: " + ConnectionMessage());
  }
  broken_ = false;
  return RunSessionSetup();
}

Result<const PgConnection::Statement*> PgConnection::Prepare(std::string_view sql) {
  if (const Statement* cached = cache_.Find(sql)) return cached;
  if (auto evicted = cache_.EvictIfFull()) {
    // Best effort: inside a failed transaction this is refused and the statement lives on
    // until the session ends, which is harmless because names are never reused.
    PgResult ignored(PQexec(conn_, ("DEALLOCATE " + evicted->name).c_str()));
  }
  Statement statement{"mh_" + FormatInt(static_cast<std::int64_t>(++next_statement_)), 0};
  std::string text(sql);
  PgResult prepared(PQprepare(conn_, statement.name.c_str(), text.c_str(), 0, nullptr));
  if (!prepared || PQresultStatus(prepared.get()) != PGRES_COMMAND_OK) {
    return ResultError(prepared.get());
  }
  // The server knows how many parameters the statement takes; asking once per connection
  // lets a wrong count fail as kInvalidArgument instead of as a protocol error.
  PgResult described(PQdescribePrepared(conn_, statement.name.c_str()));
  if (!described || PQresultStatus(described.get()) != PGRES_COMMAND_OK) {
    return ResultError(described.get());
  }
  statement.param_count = PQnparams(described.get());
  return &cache_.Insert(std::move(text), std::move(statement));
}

Result<PgConnection::PgResult> PgConnection::Execute(std::string_view sql,
                                                     std::span<const Value> params) {
  if (broken_) return Unavailable("postgres: connection lost");
  MH_ASSIGN_OR_RETURN(const Statement* statement, Prepare(sql));
  if (params.size() != static_cast<std::size_t>(statement->param_count)) {
    return InvalidArgument("statement has " + std::to_string(statement->param_count) +
                           " placeholders but " + std::to_string(params.size()) +
                           " values were given");
  }
  // Every parameter goes as text and the server parses it into the type it inferred.
  std::vector<std::string> numbers(params.size());
  std::vector<const char*> values(params.size(), nullptr);
  for (std::size_t k = 0; k < params.size(); ++k) {
    const Value& v = params[k];
    if (const auto* i = std::get_if<std::int64_t>(&v)) {
      numbers[k] = FormatInt(*i);
      values[k] = numbers[k].c_str();
    } else if (const auto* d = std::get_if<double>(&v)) {
      numbers[k] = FormatReal(*d);
      values[k] = numbers[k].c_str();
    } else if (const auto* s = std::get_if<std::string>(&v)) {
      if (s->find('\0') != std::string::npos) {
        // libpq would silently cut the value at the NUL; PostgreSQL text cannot hold one.
        return InvalidArgument("parameter $" + std::to_string(k + 1) +
                               " contains a NUL byte (encode binary data, e.g. base64)");
      }
      values[k] = s->c_str();
    }
  }
  PgResult result(PQexecPrepared(conn_, statement->name.c_str(), static_cast<int>(values.size()),
                                 values.data(), nullptr, nullptr, /*resultFormat=*/0));
  const ExecStatusType status = result ? PQresultStatus(result.get()) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  const char* state = result ? PQresultErrorField(result.get(), PG_DIAG_SQLSTATE) : nullptr;
  if (state != nullptr && std::strcmp(state, "0A000") == 0) {
    // "cached plan must not change result type": a migration altered a table this statement
    // reads. This call fails; forgetting the statement lets the next one prepare it afresh.
    PgResult ignored(PQexec(conn_, ("DEALLOCATE " + statement->name).c_str()));
    cache_.Erase(sql);
  }
  return ResultError(result.get());
}

Status PgConnection::ResultError(const PGresult* result) {
  const char* state = result ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string_view sqlstate = state != nullptr ? state : "";
  if (PQstatus(conn_) == CONNECTION_BAD || IsPgConnectionLoss(sqlstate)) broken_ = true;

  const char* primary = result ? PQresultErrorField(result, PG_DIAG_MESSAGE_PRIMARY) : nullptr;
  std::string message = "postgres: ";
  message += primary != nullptr ? OneLine(primary) : ConnectionMessage();
  // The constraint name says which rule failed without echoing the row's data into logs.
  if (const char* constraint =
          result ? PQresultErrorField(result, PG_DIAG_CONSTRAINT_NAME) : nullptr) {
    message += " (constraint ";
    message += constraint;
    message += ")";
  }
  if (!sqlstate.empty()) {
    message += " [SQLSTATE ";
    message += sqlstate;
    message += "]";
  }
  const StatusCode code = broken_ ? StatusCode::kUnavailable : PgStatusCode(sqlstate);
  return Status(code, Redact(std::move(message), options_.password));
}

Status PgConnection::RunSessionSetup() {
  if (options_.session_setup.empty()) return Status::Ok();
  return ExecScript(options_.session_setup);
}

std::string PgConnection::ConnectionMessage() const {
  std::string message = OneLine(PQerrorMessage(conn_));
  if (message.empty()) message = "connection lost";
  return Redact(std::move(message), options_.password);
}

}  // namespace milkyhoop::sql::internal
