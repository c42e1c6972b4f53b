// The background ingestion of large documents: one worker thread, so a 20 MB PDF takes one
// core at most and no request thread; the queue is bounded in bytes (AddDocument refuses
// beyond it).
#include "milkyhoop/core/log.hpp"
#include "rag_service_impl.hpp"

namespace milkyhoop::rag {

void RagServiceImpl::WorkerLoop() {
  for (;;) {
    IngestJob job;
    {
      std::unique_lock lock(queue_mu_);
      queue_cv_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;  // queued documents stay "processing"; Start() marks them failed
      job = std::move(queue_.front());
      queue_.pop_front();
    }
    const std::size_t bytes = job.content.size();
    auto result = IngestAndStore(job);
    if (result.ok()) {
      MH_LOG_INFO("document indexed", {"document_id", job.document.id()},
                  {"chunks", static_cast<std::int64_t>(*result)},
                  {"bytes", static_cast<std::int64_t>(bytes)});
    } else if (result.status().code() != StatusCode::kNotFound) {
      MH_LOG_WARN("document ingestion failed", {"document_id", job.document.id()},
                  {"error", result.status().message()});
      Status marked = MarkFailed(job.document, job.org_id, result.status().message());
      if (!marked.ok()) {
        MH_LOG_WARN("cannot record the failure", {"document_id", job.document.id()},
                    {"error", marked.message()});
      }
    }
    job.content.clear();
    job.content.shrink_to_fit();
    std::lock_guard lock(queue_mu_);
    queued_bytes_ -= bytes;
  }
}

}  // namespace milkyhoop::rag
