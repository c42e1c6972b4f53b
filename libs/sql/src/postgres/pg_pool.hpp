#pragma once
// A fixed-size pool of PostgreSQL connections. Connections are made on demand up to `size`;
// callers wait up to the acquire timeout for one to come back, then get kUnavailable
// ("database pool exhausted") rather than queueing without bound behind a slow database.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "postgres/pg_connection.hpp"

namespace milkyhoop::sql::internal {

class PgPool {
 public:
  // A connection on loan; returned to the pool (or dropped if broken) when destroyed.
  class Lease {
   public:
    Lease(PgPool* pool, std::unique_ptr<PgConnection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&& other) noexcept = default;
    Lease& operator=(Lease&& other) noexcept;
    ~Lease() { Return(); }

    PgConnection& operator*() const { return *conn_; }
    PgConnection* operator->() const { return conn_.get(); }
    // Drops the connection instead of returning it (it lost its server).
    void Discard();

   private:
    void Return();
    PgPool* pool_;
    std::unique_ptr<PgConnection> conn_;
  };

  PgPool(PgConnectOptions options, int size, std::chrono::milliseconds acquire_timeout);
  PgPool(const PgPool&) = delete;
  PgPool& operator=(const PgPool&) = delete;

  // `fresh` reconnects even a healthy-looking idle connection: used to retry once after a
  // connection failure, when the other idle connections probably died the same way.
  Result<Lease> Acquire(bool fresh = false);
  const PgConnectOptions& options() const { return options_; }

 private:
  void Release(std::unique_ptr<PgConnection> conn);
  void Forget();  // one connection fewer exists

  const PgConnectOptions options_;
  const int size_;
  const std::chrono::milliseconds acquire_timeout_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<PgConnection>> idle_;  // most recently used last
  int open_ = 0;  // connections in existence or being made, leased or idle
};

}  // namespace milkyhoop::sql::internal
