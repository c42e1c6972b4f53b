#pragma once
// RagService over SQL: the rows are the truth, the per-business indexes (knowledge_index.hpp)
// are derived from them. One file per group of calls: faqs.cpp, documents.cpp,
// document_worker.cpp, search.cpp, catalogue_sources.cpp.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "change_log.hpp"
#include "circuit_breaker.hpp"
#include "embedding_backfill.hpp"
#include "index_sync.hpp"
#include "knowledge_index.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/rag/ingest.hpp"
#include "milkyhoop/rag/rag_factory.hpp"
#include "milkyhoop/rag/rag_service.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::rag {

inline constexpr std::size_t kMaxQuestionChars = 500;
inline constexpr std::size_t kMaxAnswerChars = 5000;
inline constexpr std::size_t kMaxTitleChars = 200;
inline constexpr std::size_t kMaxTags = 20;
inline constexpr std::size_t kMaxTagChars = 50;
inline constexpr std::size_t kMaxQueryChars = 1000;
inline constexpr int kMaxTopK = 50;

// What a search needs to know of a business's scope: both ids, checked non-empty.
Status RequireScope(const std::string& org_id, const std::string& business_id);

class RagServiceImpl final : public RagService, public RagServiceHost {
 public:
  RagServiceImpl(sql::Database& db, const Clock& clock, RagOptions options,
                 metrics::Registry* metrics);
  ~RagServiceImpl() override;

  // RagServiceHost
  RagService& service() override { return *this; }
  Status SubscribeToBusinessEvents(events::EventBus& bus) override;
  void Start() override;
  void Stop() override;

  // RagService
  Result<v1::CreateFaqResponse> CreateFaq(const v1::CreateFaqRequest& request) override;
  Result<v1::ListFaqsResponse> ListFaqs(const v1::ListFaqsRequest& request) override;
  Result<v1::GetFaqResponse> GetFaq(const v1::GetFaqRequest& request) override;
  Result<v1::UpdateFaqResponse> UpdateFaq(const v1::UpdateFaqRequest& request) override;
  Result<v1::DeleteFaqResponse> DeleteFaq(const v1::DeleteFaqRequest& request) override;
  Result<v1::ImportFaqsResponse> ImportFaqs(const v1::ImportFaqsRequest& request) override;
  Result<v1::AddDocumentResponse> AddDocument(const v1::AddDocumentRequest& request) override;
  Result<v1::ListDocumentsResponse> ListDocuments(const v1::ListDocumentsRequest& request) override;
  Result<v1::GetDocumentResponse> GetDocument(const v1::GetDocumentRequest& request) override;
  Result<v1::DeleteDocumentResponse> DeleteDocument(
      const v1::DeleteDocumentRequest& request) override;
  Result<v1::SearchResponse> Search(const v1::SearchRequest& request) override;
  Result<v1::KnowledgeVersionResponse> KnowledgeVersion(
      const v1::KnowledgeVersionRequest& request) override;

 private:
  // --- shared helpers (rag_service_impl.cpp) ---
  // Every change of a business's knowledge, as the last statements of its transaction: bumps the
  // knowledge version and appends the changed sources to the index change log.
  Status RecordChange(sql::Session& tx, const std::string& org_id, const std::string& business_id,
                      const std::vector<SourceRef>& sources);
  // After the commit: this process's index applies the change now (others within a sync
  // interval). A failure only delays it to the next poll.
  void ApplyCommitted(const std::string& org_id, const std::string& business_id);
  // Embeddings of `texts` when a provider is configured (empty vectors otherwise, or when the
  // provider fails or its breaker is open: the passages stay keyword-searchable, and the backfill
  // embeds them once the provider answers again).
  std::vector<std::vector<float>> EmbedOrEmpty(const std::vector<std::string>& texts);
  // A query's vector: kUnavailable (with a retry-after) when the breaker is open or the provider
  // fails, at once in the first case.
  Result<std::vector<float>> EmbedQuery(const std::string& query);
  // Tells the breaker how a provider call went.
  void RecordEmbedding(const Status& status);

  // --- FAQs (faqs.cpp) ---
  struct FaqFields {
    std::string question, answer;
    std::vector<std::string> tags;
  };
  static Result<FaqFields> ValidateFaq(std::string_view question, std::string_view answer,
                                       const google::protobuf::RepeatedPtrField<std::string>& tags);
  Status InsertFaq(sql::Session& tx, const v1::Faq& faq, const std::string& org_id,
                   const std::string& actor_id, const std::vector<float>& embedding);

  // --- documents (documents.cpp, document_worker.cpp) ---
  struct IngestJob {
    v1::Document document;
    std::string org_id;
    DocumentFormat format;
    std::string content;
    bool queued = false;  // its row exists ("processing"); else ingested within the request
  };
  // Extracts and chunks `content`, then writes the chunks and the document's final state in one
  // transaction and indexes them. Returns the chunk count.
  Result<int> IngestAndStore(const IngestJob& job);
  Status MarkFailed(const v1::Document& document, const std::string& org_id,
                    const std::string& error);
  void WorkerLoop();

  // --- leases on documents ingested in the background (document_leases.cpp) ---
  // The time a lease taken or renewed now runs to.
  std::int64_t LeaseUntil() const;
  void LeaseLoop();
  Status RenewLeases();
  // Marks "processing" documents whose lease ran out as failed (their chunks removed).
  Status FailAbandonedDocuments();
  // At stop: this process's queued documents will not be ingested; their leases end now.
  Status EndLeases();

  // --- products and profile (catalogue_sources.cpp) ---
  Status OnProductChanged(const std::string& event_id, const std::string& payload);
  Status OnBusinessChanged(const std::string& event_id, const std::string& payload);
  Status ReplaceSource(const std::string& event_id, const std::string& org_id,
                       const std::string& business_id, const std::string& source_type,
                       const std::string& source_id, std::optional<Passage> passage);
  static IndexSyncOptions SyncOptions(const RagOptions& options);

  sql::Database& db_;
  const Clock& clock_;
  RagOptions options_;
  metrics::Registry* metrics_;
  IndexSync indexes_;
  // With an embedding provider only.
  std::unique_ptr<CircuitBreaker> breaker_;
  std::unique_ptr<EmbeddingBackfill> backfill_;

  std::mutex queue_mu_;
  std::condition_variable queue_cv_;
  std::deque<IngestJob> queue_;
  std::size_t queued_bytes_ = 0;
  bool stopping_ = false;
  std::thread worker_;
  // This process's name on the documents it leases: unique per service object.
  const std::string lease_owner_;
  std::condition_variable lease_cv_;  // with queue_mu_ and stopping_
  std::thread lease_thread_;
};

}  // namespace milkyhoop::rag
