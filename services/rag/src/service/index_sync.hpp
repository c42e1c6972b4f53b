#pragma once
// The lifecycle of the per-business indexes: loaded on first use from a snapshot (then caught up
// from the change log) or rebuilt from the tables; kept current by applying the change log —
// right after this process's own writes, and every sync interval for writes of other processes
// hosting rag on the same database; written to snapshots periodically and at stop; the log
// compacted after its retention (an index too far behind for the log is rebuilt).
//
// Why a log and not events: a Kafka consumer group hands each event to one process, and a
// process's own writes never reach another process's memory. The log lives in the same
// database as the rows, written in the same transaction (change_log.hpp), so every process sees
// every committed change, in commit order, and nothing can be lost between the two.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "knowledge_index.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::rag {

struct IndexSyncOptions {
  std::filesystem::path snapshot_dir;  // empty: no snapshots
  std::chrono::milliseconds sync_interval{250};
  std::chrono::seconds snapshot_interval{300};    // 0: at stop only
  std::chrono::seconds change_retention{86'400};  // the log keeps a day of changes
  std::chrono::seconds compact_interval{600};
  // The embedding provider's model ("" without one): only its vectors enter the vector index,
  // from the rows and from snapshots (a snapshot of another model is rebuilt from the rows).
  std::string embedding_model;
};

class IndexSync {
 public:
  IndexSync(sql::Database& db, const Clock& clock, IndexSyncOptions options,
            metrics::Registry* metrics);
  ~IndexSync();
  IndexSync(const IndexSync&) = delete;
  IndexSync& operator=(const IndexSync&) = delete;

  // The business's index, loaded and caught up on first use.
  Result<std::shared_ptr<KnowledgeIndex>> Get(const std::string& org_id,
                                              const std::string& business_id);
  // Applies the log to the business's index now, if it is loaded (after this process's writes:
  // a client reads its own write from the next search).
  Status CatchUp(const std::string& org_id, const std::string& business_id);
  // Applies the log to every loaded index that has changes (what the background loop does).
  Status Poll();
  // Writes the snapshot of every loaded index that changed since its last one.
  Status WriteSnapshots();
  // Drops changes older than the retention. Returns how many.
  Result<std::int64_t> Compact();
  // The business is gone: its index and snapshot too.
  void Forget(const std::string& org_id, const std::string& business_id);

  void Start();  // the background loop (poll, snapshots, compaction)
  void Stop();   // stops it and writes the snapshots
  std::size_t loaded() const { return registry_.loaded(); }

  static constexpr int kCatchUpBatch = 1000;
  // Beyond this many pending changes a rebuild from the tables is cheaper than the catch-up.
  static constexpr std::int64_t kMaxCatchUp = 50'000;

 private:
  Status CatchUpLocked(const std::string& org_id, const std::string& business_id,
                       std::shared_ptr<KnowledgeIndex>& index);
  Result<std::shared_ptr<KnowledgeIndex>> Rebuild(const std::string& org_id,
                                                  const std::string& business_id);
  std::shared_ptr<KnowledgeIndex> FromSnapshot(const std::string& org_id,
                                               const std::string& business_id);
  void Loop();

  sql::Database& db_;
  const Clock& clock_;
  IndexSyncOptions options_;
  IndexRegistry registry_;
  std::int64_t cursor_ = -1;  // Poll's position in the log (-1: not yet read); Poll's thread only
  std::mutex poll_mu_;

  metrics::Counter* loads_snapshot_ = nullptr;
  metrics::Counter* loads_database_ = nullptr;
  metrics::Counter* caught_up_ = nullptr;
  metrics::Counter* snapshots_written_ = nullptr;
  metrics::Counter* snapshots_refused_ = nullptr;

  std::mutex loop_mu_;
  std::condition_variable loop_cv_;
  bool stopping_ = false;
  std::thread loop_;
};

}  // namespace milkyhoop::rag
