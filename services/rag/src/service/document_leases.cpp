// Leases on documents ingested in the background. A queued document's bytes live only in the
// memory of the process that accepted it, so when that process dies the document can never be
// finished. The lease tells such a document from one that another live process is still working
// on: its process renews it every quarter of its length, and a document whose lease has run out
// is marked failed (upload it again) by any rag process, at its start and every quarter lease.
#include <algorithm>
#include <chrono>

#include "milkyhoop/core/log.hpp"
#include "rag_service_impl.hpp"

namespace milkyhoop::rag {

std::int64_t RagServiceImpl::LeaseUntil() const {
  return clock_.NowUnixMillis() + std::max(1, options_.document_lease_ms);
}

Status RagServiceImpl::RenewLeases() {
  return db_
      .Exec(
          "UPDATE documents SET lease_until_ms = $1 WHERE lease_owner = $2 AND "
          "status = 'processing'",
          {LeaseUntil(), lease_owner_})
      .status();
}

Status RagServiceImpl::EndLeases() {
  return db_
      .Exec(
          "UPDATE documents SET lease_until_ms = 0 WHERE lease_owner = $1 AND "
          "status = 'processing'",
          {lease_owner_})
      .status();
}

Status RagServiceImpl::FailAbandonedDocuments() {
  const std::int64_t now = clock_.NowUnixMillis();
  MH_ASSIGN_OR_RETURN(sql::Rows expired,
                      db_.Query("SELECT id, org_id, business_id FROM documents WHERE status = "
                                "'processing' AND lease_until_ms < $1",
                                {now}));
  for (std::size_t r = 0; r < expired.size(); ++r) {
    const std::string id = expired.Text(r, 0), org_id = expired.Text(r, 1),
                      business_id = expired.Text(r, 2);
    bool failed = false;
    // Each document on its own: the update re-checks the lease, so a document renewed since the
    // query, or failed by another process meanwhile, is left alone.
    MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
      MH_ASSIGN_OR_RETURN(
          const std::int64_t marked,
          tx.Exec("UPDATE documents SET status = 'failed', chunks = 0, error = $1, "
                  "updated_at_ms = $2 WHERE id = $3 AND org_id = $4 AND status = 'processing' "
                  "AND lease_until_ms < $5",
                  {std::string("interrupted: the server ingesting it stopped; upload the file "
                               "again"),
                   now, id, org_id, now}));
      failed = marked == 1;
      if (!failed) return Status::Ok();
      // Chunks stored just before the stop go too: only an "indexed" document is searchable.
      MH_TRY(tx.Exec("DELETE FROM chunks WHERE source_type = 'document' AND source_id = $1 AND "
                     "org_id = $2",
                     {id, org_id})
                 .status());
      return RecordChange(tx, org_id, business_id, {SourceRef{"document", id}});
    }));
    if (failed) {
      ApplyCommitted(org_id, business_id);
      MH_LOG_WARN("document abandoned by a stopped process marked failed", {"document_id", id});
    }
  }
  return Status::Ok();
}

void RagServiceImpl::LeaseLoop() {
  const auto period = std::chrono::milliseconds(std::max(1, options_.document_lease_ms / 4));
  std::unique_lock lock(queue_mu_);
  while (!lease_cv_.wait_for(lock, period, [this] { return stopping_; })) {
    lock.unlock();
    if (Status s = RenewLeases(); !s.ok()) {
      MH_LOG_WARN("cannot renew the leases of documents in ingestion", {"error", s.message()});
    }
    if (Status s = FailAbandonedDocuments(); !s.ok()) {
      MH_LOG_WARN("cannot check for abandoned documents", {"error", s.message()});
    }
    lock.lock();
  }
}

}  // namespace milkyhoop::rag
