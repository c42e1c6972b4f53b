#pragma once
// Fills in the vectors that writes could not make. A FAQ, document chunk, product or profile
// passage written while the embedding provider was down (or its breaker open) is stored without
// a vector and stays keyword-only; a passage embedded by another model than the configured one
// (the model was switched) is not used for vector search either (passage_rows.hpp). This worker
// finds both kinds in the tables — rows whose embedding_model is not the provider's model — and
// embeds them in bounded batches once the provider answers again.
//
// Each batch is stored one business at a time, in a transaction that updates a row only if its
// text is still what was embedded (a concurrent edit wins; its own vector, or the next round,
// covers it) and appends the changed sources to the index change log (change_log.hpp), so every
// rag process — this one at once — puts the vectors into its index.
//
// It never hammers a down provider: it calls only when the circuit breaker allows, and it is the
// caller that probes an open breaker after its cooldown (search and writes never do), with the
// next batch or, when nothing is missing, a one-word text. Several rag processes on one database
// each run one; two may embed the same row, and the second's update then changes nothing.
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "change_log.hpp"
#include "circuit_breaker.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::rag {

struct EmbeddingBackfillOptions {
  std::size_t batch_size = 32;    // texts per provider call
  int max_batches_per_round = 8;  // then the loop yields (other work on the provider goes on)
  std::chrono::milliseconds retry_interval{500};    // how often an open breaker is asked again
  std::chrono::milliseconds scan_interval{60'000};  // a look at the tables with nothing signalled
};

class EmbeddingBackfill {
 public:
  // Within the transaction that stores a business's new vectors: records the changed sources
  // (knowledge version and change log; the transaction's last statements).
  using RecordFn =
      std::function<Status(sql::Session& tx, const std::string& org_id,
                           const std::string& business_id, const std::vector<SourceRef>& sources)>;
  // After that commit: this process's index applies it.
  using AppliedFn = std::function<void(const std::string& org_id, const std::string& business_id)>;

  enum class Round {
    kDone,     // nothing is missing (the breaker is closed)
    kMore,     // the round's batches were used up: more may be missing
    kWaiting,  // the breaker is open (or another caller is probing)
    kFailed,   // the provider or the database failed; retried after retry_interval
    kRefused,  // the provider refused a text (not an outage): tried again at the next scan
  };

  EmbeddingBackfill(sql::Database& db, EmbeddingProvider& provider, CircuitBreaker& breaker,
                    EmbeddingBackfillOptions options, RecordFn record, AppliedFn applied,
                    metrics::Registry* metrics);
  ~EmbeddingBackfill();
  EmbeddingBackfill(const EmbeddingBackfill&) = delete;
  EmbeddingBackfill& operator=(const EmbeddingBackfill&) = delete;

  // One round of at most max_batches_per_round batches (what the loop does each time).
  Round RunRound();
  // A passage was just stored without a vector: look soon instead of at the next scan.
  void Wake();
  void Start();
  void Stop();  // returns after the batch in progress (a provider call is bounded by its timeout)

 private:
  struct Row {
    std::string table;  // faqs | chunks
    std::string id, org_id, business_id;
    SourceRef source;
    std::string first, second;  // faqs: question, answer; chunks: title, body
  };
  Result<std::vector<Row>> SelectMissing();
  // Stores the vectors; returns how many rows took them.
  Result<std::size_t> Store(const std::vector<Row>& rows,
                            const std::vector<std::vector<float>>& vectors);
  bool stopping();
  void Loop();

  sql::Database& db_;
  EmbeddingProvider& provider_;
  CircuitBreaker& breaker_;
  const EmbeddingBackfillOptions options_;
  const std::string model_;
  RecordFn record_;
  AppliedFn applied_;
  metrics::Counter* backfilled_ = nullptr;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread loop_;
};

}  // namespace milkyhoop::rag
