// The SQLite adapter: one writer connection behind a mutex (SQLite allows one writer at a time
// anyway; queueing in-process is cheaper than spinning on SQLITE_BUSY) and a pool of read-only
// connections that, thanks to WAL, read committed data while a write transaction is open.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>
#include <vector>

#include "guarded_call.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/sql/database.hpp"
#include "sqlite/sqlite_connection.hpp"

namespace milkyhoop::sql {
namespace {

using internal::SqliteConnection;

class SqliteSession final : public Session {
 public:
  explicit SqliteSession(SqliteConnection& conn) : conn_(conn) {}
  using Session::Exec;
  using Session::Query;

  Result<Rows> Query(std::string_view sql, std::span<const Value> params) override {
    return conn_.Query(sql, params);
  }
  Result<std::int64_t> Exec(std::string_view sql, std::span<const Value> params) override {
    return conn_.Exec(sql, params);
  }
  Status ExecScript(std::string_view sql) override { return conn_.ExecScript(sql); }
  Dialect dialect() const override { return Dialect::kSqlite; }

 private:
  SqliteConnection& conn_;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, std::chrono::milliseconds reader_wait,
                 std::unique_ptr<SqliteConnection> writer,
                 std::vector<std::unique_ptr<SqliteConnection>> readers)
      : path_(std::move(path)),
        reader_wait_(reader_wait),
        writer_(std::move(writer)),
        readers_(std::move(readers)) {
    for (auto& r : readers_) idle_readers_.push_back(r.get());
  }

  Dialect dialect() const override { return Dialect::kSqlite; }
  std::string Describe() const override { return "sqlite:" + path_; }

  Status Transaction(const std::function<Status(Session&)>& fn) override {
    // The writer mutex is not recursive: a nested Transaction on the same thread would wait
    // for itself forever. Say so instead.
    if (writer_owner_.load() == std::this_thread::get_id()) {
      return FailedPrecondition("nested Database::Transaction on the same thread");
    }
    std::lock_guard<std::mutex> lock(writer_mu_);
    writer_owner_.store(std::this_thread::get_id());
    Status status = RunTransaction(fn);
    writer_owner_.store(std::thread::id());
    return status;
  }

  Status Read(const std::function<Status(Session&)>& fn) override {
    SqliteConnection* reader = nullptr;
    {
      std::unique_lock<std::mutex> lock(readers_mu_);
      if (!readers_cv_.wait_for(lock, reader_wait_, [&] { return !idle_readers_.empty(); })) {
        return Unavailable("sqlite: all reader connections busy");
      }
      reader = idle_readers_.back();
      idle_readers_.pop_back();
    }
    SqliteSession session(*reader);
    Status status = internal::CallGuarded(fn, session);
    reader->RollbackIfOpen();  // a BEGIN left open would pin an old snapshot
    {
      std::lock_guard<std::mutex> lock(readers_mu_);
      idle_readers_.push_back(reader);
    }
    readers_cv_.notify_one();
    return status;
  }

  Status Ping() override {
    return Read([](Session& s) { return s.Query("SELECT 1").status(); });
  }

 private:
  Status RunTransaction(const std::function<Status(Session&)>& fn) {
    writer_->RollbackIfOpen();  // defensive: never start inside a leftover transaction
    MH_TRY(writer_->ExecScript("BEGIN IMMEDIATE"));
    SqliteSession session(*writer_);
    Status status = internal::CallGuarded(fn, session);
    if (status.ok()) {
      status = writer_->ExecScript("COMMIT");
      if (status.ok()) return status;
    }
    // Some errors (disk full, I/O) make SQLite roll back by itself; only roll back if needed.
    writer_->RollbackIfOpen();
    return status;
  }

  const std::string path_;
  const std::chrono::milliseconds reader_wait_;

  std::mutex writer_mu_;
  std::atomic<std::thread::id> writer_owner_{};
  std::unique_ptr<SqliteConnection> writer_;

  std::mutex readers_mu_;
  std::condition_variable readers_cv_;
  std::vector<std::unique_ptr<SqliteConnection>> readers_;
  std::vector<SqliteConnection*> idle_readers_;
};

}  // namespace

Result<std::unique_ptr<Database>> OpenSqlite(const SqliteOptions& options) {
  if (options.path.empty() || options.path == ":memory:" || options.path.starts_with("file:")) {
    // An in-memory database is private to one connection; the readers would not see it.
    return InvalidArgument("sqlite: a file path is required (\":memory:\" and URIs are refused)");
  }
  if (options.readers < 1) return InvalidArgument("sqlite: readers must be at least 1");
  if (options.busy_timeout_ms < 0) return InvalidArgument("sqlite: busy_timeout_ms must be >= 0");

  const std::filesystem::path parent = std::filesystem::path(options.path).parent_path();
  if (!parent.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(parent, ec);
    if (ec) {
      return Unavailable("sqlite: cannot create directory " + parent.string() + ": " +
                         ec.message());
    }
  }

  // The writer first: it creates the file and switches it to WAL before readers attach.
  MH_ASSIGN_OR_RETURN(auto writer,
                      SqliteConnection::Open(options.path, SqliteConnection::Mode::kReadWrite,
                                             options.busy_timeout_ms));
  std::vector<std::unique_ptr<SqliteConnection>> readers;
  for (int i = 0; i < options.readers; ++i) {
    MH_ASSIGN_OR_RETURN(auto reader,
                        SqliteConnection::Open(options.path, SqliteConnection::Mode::kReadOnly,
                                               options.busy_timeout_ms));
    readers.push_back(std::move(reader));
  }
  MH_LOG_INFO("database opened", {"db", "sqlite:" + options.path}, {"readers", options.readers});
  // Readers wait for a free connection as long as a writer waits for a lock.
  return std::unique_ptr<Database>(
      new SqliteDatabase(options.path, std::chrono::milliseconds(options.busy_timeout_ms),
                         std::move(writer), std::move(readers)));
}

}  // namespace milkyhoop::sql
