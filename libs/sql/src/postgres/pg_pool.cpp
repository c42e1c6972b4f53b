#include "postgres/pg_pool.hpp"

#include "milkyhoop/core/log.hpp"

namespace milkyhoop::sql::internal {

PgPool::Lease& PgPool::Lease::operator=(Lease&& other) noexcept {
  if (this != &other) {
    Return();
    pool_ = other.pool_;
    conn_ = std::move(other.conn_);
  }
  return *this;
}

void PgPool::Lease::Discard() {
  if (!conn_) return;
  conn_.reset();
  pool_->Forget();
}

void PgPool::Lease::Return() {
  if (conn_) pool_->Release(std::move(conn_));
}

PgPool::PgPool(PgConnectOptions options, int size, std::chrono::milliseconds acquire_timeout)
    : options_(std::move(options)), size_(size), acquire_timeout_(acquire_timeout) {}

Result<PgPool::Lease> PgPool::Acquire(bool fresh) {
  std::unique_ptr<PgConnection> conn;
  {
    std::unique_lock<std::mutex> lock(mu_);
    const bool available =
        cv_.wait_for(lock, acquire_timeout_, [&] { return !idle_.empty() || open_ < size_; });
    if (!available) {
      return Unavailable("database pool exhausted: " + std::to_string(size_) +
                         " connections busy for " + std::to_string(acquire_timeout_.count()) +
                         " ms");
    }
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // reserve the slot; connect without holding the lock
    }
  }

  if (!conn) {
    auto made = PgConnection::Connect(options_);
    if (!made.ok()) {
      Forget();
      return std::move(made).TakeStatus();
    }
    return Lease(this, std::move(made).value());
  }
  if (fresh || !conn->LooksHealthy()) {
    MH_LOG_WARN("postgres connection reset", {"reason", fresh ? "retry" : "found dead"});
    Status reset = conn->Reset();
    if (!reset.ok()) {
      conn.reset();
      Forget();
      return reset;
    }
  }
  return Lease(this, std::move(conn));
}

void PgPool::Release(std::unique_ptr<PgConnection> conn) {
  conn->RollbackIfOpen();  // never hand the next caller someone else's transaction
  if (conn->broken()) {
    conn.reset();
    Forget();
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    idle_.push_back(std::move(conn));
  }
  cv_.notify_one();
}

void PgPool::Forget() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    --open_;
  }
  cv_.notify_one();
}

}  // namespace milkyhoop::sql::internal
