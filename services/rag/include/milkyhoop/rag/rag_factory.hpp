#pragma once
// The implementation of RagService, for the composition root (and tests).
#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/events/event_bus.hpp"
#include "milkyhoop/rag/rag_service.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::metrics {
class Registry;
}

namespace milkyhoop::rag {

// Applies the rag service's migrations (service name "rag") to `db`, its own database.
Status MigrateRagDatabase(sql::Database& db);

// Turns texts into vectors (an OpenAI-compatible /v1/embeddings server in production). Called
// from worker threads; may block up to its own timeout.
class EmbeddingProvider {
 public:
  virtual ~EmbeddingProvider() = default;
  virtual std::string model() const = 0;
  virtual Result<std::vector<std::vector<float>>> Embed(const std::vector<std::string>& texts) = 0;
};

struct RagOptions {
  // Documents up to this size are ingested within the request; larger ones in the background.
  std::size_t inline_ingest_bytes = 512u << 10;
  std::size_t max_document_bytes = 25u << 20;
  // Bytes of queued documents waiting for the background worker; beyond → kUnavailable.
  std::size_t max_queued_bytes = 128u << 20;
  std::size_t max_faqs_per_import = 10'000;
  // Optional; without one, hybrid search is keyword search.
  std::shared_ptr<EmbeddingProvider> embeddings;
  // The circuit breaker around it: after this many consecutive failed calls, searches and writes
  // stop calling it (keyword-only search, passages stored without vectors) until a probe after
  // the cooldown succeeds.
  int embedding_failure_threshold = 2;
  int embedding_cooldown_ms = 5000;
  // How often the backfill looks for passages without a vector of the provider's model when
  // nothing signalled one (a write without a vector and a start signal at once).
  int embedding_backfill_interval_s = 60;
  // Where each business's index is saved (at stop and every snapshot_interval_s, 0 = at stop
  // only) so a restart loads it instead of rebuilding it; "" = no snapshots.
  std::string snapshot_dir;
  int snapshot_interval_s = 300;
  // How often the change log is applied for writes made through other processes hosting rag.
  int sync_interval_ms = 250;
  // How long the change log keeps changes; an index further behind is rebuilt from the tables.
  int change_retention_s = 86'400;
  // A document ingested in the background is leased by its process for this long, renewed every
  // quarter of it; a "processing" document whose lease ran out (its process died) is marked
  // failed by whichever rag process sees it first.
  int document_lease_ms = 60'000;
};

class RagServiceHost {
 public:
  virtual ~RagServiceHost() = default;
  virtual RagService& service() = 0;
  // Subscribes to the business service's product and profile events on `bus`, so the catalogue
  // and profile are indexed as sources.
  virtual Status SubscribeToBusinessEvents(events::EventBus& bus) = 0;
  // Starts the background document worker (and marks documents left "processing" by a process
  // that is gone as failed, see RagOptions::document_lease_ms), the index sync (change log,
  // snapshots) and, with an embedding provider, the embedding backfill. Stop() waits for the
  // document and the backfill batch in progress and writes the snapshots; documents still queued
  // are given up (failed by the next check of any rag process).
  virtual void Start() = 0;
  virtual void Stop() = 0;
};

// The implementation over a migrated `db`. `db`, `clock` and `metrics` (optional) must outlive it.
std::unique_ptr<RagServiceHost> MakeRagService(sql::Database& db, const Clock& clock,
                                               RagOptions options = {},
                                               metrics::Registry* metrics = nullptr);

}  // namespace milkyhoop::rag
