#include "rag_service_impl.hpp"

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/metrics.hpp"
#include "milkyhoop/sql/migration.hpp"

namespace milkyhoop::rag {

std::span<const sql::MigrationFile> Migrations();

RagService::~RagService() = default;

Status MigrateRagDatabase(sql::Database& db) { return sql::Migrate(db, "rag", Migrations()); }

std::unique_ptr<RagServiceHost> MakeRagService(sql::Database& db, const Clock& clock,
                                               RagOptions options, metrics::Registry* metrics) {
  return std::make_unique<RagServiceImpl>(db, clock, std::move(options), metrics);
}

Status RequireScope(const std::string& org_id, const std::string& business_id) {
  if (org_id.empty()) return InvalidField("org_id", "is required");
  if (business_id.empty()) return InvalidField("business_id", "is required");
  return Status::Ok();
}

IndexSyncOptions RagServiceImpl::SyncOptions(const RagOptions& options) {
  IndexSyncOptions out;
  out.snapshot_dir = options.snapshot_dir;
  out.snapshot_interval = std::chrono::seconds(std::max(0, options.snapshot_interval_s));
  out.sync_interval = std::chrono::milliseconds(std::max(10, options.sync_interval_ms));
  out.change_retention = std::chrono::seconds(std::max(60, options.change_retention_s));
  return out;
}

RagServiceImpl::RagServiceImpl(sql::Database& db, const Clock& clock, RagOptions options,
                               metrics::Registry* metrics)
    : db_(db),
      clock_(clock),
      options_(std::move(options)),
      metrics_(metrics),
      indexes_(db, clock, SyncOptions(options_), metrics),
      lease_owner_(NewId("ingest_")) {
  if (metrics_) {
    metrics_->AddCallbackGauge("rag_indexes_loaded", "Business knowledge indexes in memory",
                               [this] { return static_cast<double>(indexes_.loaded()); });
    metrics_->AddCallbackGauge("rag_ingest_queue_bytes",
                               "Bytes of documents waiting for background ingestion", [this] {
                                 std::lock_guard lock(queue_mu_);
                                 return static_cast<double>(queued_bytes_);
                               });
  }
}

RagServiceImpl::~RagServiceImpl() { Stop(); }

Status RagServiceImpl::RecordChange(sql::Session& tx, const std::string& org_id,
                                    const std::string& business_id,
                                    const std::vector<SourceRef>& sources) {
  // The clock in milliseconds, forced to grow: two changes in one millisecond still differ.
  // One upsert: an UPDATE then INSERT lets two first writes of a business race into a duplicate
  // key on PostgreSQL.
  const std::int64_t now = clock_.NowUnixMillis();
  MH_TRY(tx.Exec("INSERT INTO knowledge_versions (business_id, org_id, version) VALUES ($1, $2, "
                 "$3) ON CONFLICT (business_id) DO UPDATE SET version = CASE WHEN "
                 "knowledge_versions.version >= $3 THEN knowledge_versions.version + 1 ELSE $3 END",
                 {business_id, org_id, now})
             .status());
  // Last: the change log's head row stays locked from here to the commit (change_log.hpp).
  return AppendChanges(tx, org_id, business_id, sources, now);
}

void RagServiceImpl::ApplyCommitted(const std::string& org_id, const std::string& business_id) {
  Status applied = indexes_.CatchUp(org_id, business_id);
  if (!applied.ok()) {
    MH_LOG_WARN("index catch-up after a write failed; the next sync applies it",
                {"business_id", business_id}, {"error", applied.message()});
  }
}

Result<v1::KnowledgeVersionResponse> RagServiceImpl::KnowledgeVersion(
    const v1::KnowledgeVersionRequest& request) {
  MH_TRY(RequireScope(request.org_id(), request.business_id()));
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      db_.Query("SELECT version FROM knowledge_versions WHERE business_id = $1 "
                                "AND org_id = $2",
                                {request.business_id(), request.org_id()}));
  v1::KnowledgeVersionResponse out;
  out.set_version(rows.empty() ? 0 : rows.Int(0, 0));
  return out;
}

std::vector<std::vector<float>> RagServiceImpl::EmbedOrEmpty(
    const std::vector<std::string>& texts) {
  std::vector<std::vector<float>> none(texts.size());
  if (!options_.embeddings || texts.empty()) return none;
  auto vectors = options_.embeddings->Embed(texts);
  if (!vectors.ok() || vectors->size() != texts.size()) {
    MH_LOG_WARN("embedding failed; passages stay keyword-searchable",
                {"error", vectors.ok() ? std::string("wrong number of vectors")
                                       : vectors.status().message()},
                {"texts", static_cast<std::int64_t>(texts.size())});
    return none;
  }
  return std::move(*vectors);
}

void RagServiceImpl::Start() {
  // Documents left "processing" by a process that is gone cannot be finished: their bytes were
  // only in its memory. Those whose lease has run out are failed now, the others by the lease
  // loop once theirs runs out, unless a live process renews it (document_leases.cpp).
  if (Status s = FailAbandonedDocuments(); !s.ok()) {
    MH_LOG_WARN("cannot mark interrupted documents", {"error", s.message()});
  }
  indexes_.Start();
  std::lock_guard lock(queue_mu_);
  if (worker_.joinable()) return;
  stopping_ = false;
  worker_ = std::thread([this] { WorkerLoop(); });
  lease_thread_ = std::thread([this] { LeaseLoop(); });
}

void RagServiceImpl::Stop() {
  {
    std::lock_guard lock(queue_mu_);
    stopping_ = true;
  }
  queue_cv_.notify_all();
  lease_cv_.notify_all();
  if (worker_.joinable()) worker_.join();
  if (lease_thread_.joinable()) {
    lease_thread_.join();
    // Documents still queued will not be ingested: any rag process may fail them now.
    if (Status s = EndLeases(); !s.ok()) {
      MH_LOG_WARN("cannot end the leases of queued documents", {"error", s.message()});
    }
  }
  indexes_.Stop();
}

}  // namespace milkyhoop::rag
