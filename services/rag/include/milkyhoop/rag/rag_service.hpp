#pragma once
// The rag-service: a business's knowledge — FAQs, documents, and its products and profile
// (indexed automatically from the business service's events) — and retrieval over it. Callers
// hold a RagService&; the composition root decides whether it is the implementation
// (rag_factory.hpp) or a gRPC client (rag_grpc.hpp).
//
// Authorisation is the caller's job (the gateway asks OrgService::Authorize first); the service
// enforces tenancy: every call names org_id and business_id, every row and every index is
// scoped by them, so another organisation's FAQ or document is kNotFound and a search never
// sees another business's entries.
//
// Error codes, as the gateway maps them:
//   kInvalidArgument (400)     a field is wrong (field_errors() names it); a document that is
//                              not what it claims (binary .txt, corrupt PDF); a malformed import
//   kNotFound (404)            no such FAQ / document in this business
//   kUnimplemented (415)       a document format we do not ingest
//   kResourceExhausted (413)   a document or import over the limits
//   kFailedPrecondition (409)  vector search asked for with no embedding provider configured
//   kUnavailable (503)         the ingestion queue is full (retry later); a vector search while
//                              the embedding provider is unavailable (RetryAfterSeconds() reads
//                              when to try again; hybrid search answers from keywords instead)

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/rag/v1/rag.pb.h"

namespace milkyhoop::rag {

// The wait travels in the message (it crosses gRPC as text): "...; retry after N seconds".
inline constexpr std::string_view kRetryAfterText = "; retry after ";
inline constexpr std::string_view kRetryAfterUnit = " seconds";

inline Status UnavailableRetryAfter(std::string_view what, std::int64_t seconds) {
  return Status(StatusCode::kUnavailable, std::string(what) + std::string(kRetryAfterText) +
                                              std::to_string(seconds < 1 ? 1 : seconds) +
                                              std::string(kRetryAfterUnit));
}

// The seconds of a kUnavailable made by UnavailableRetryAfter; nullopt for any other status.
inline std::optional<std::int64_t> RetryAfterSeconds(const Status& status) {
  if (status.code() != StatusCode::kUnavailable) return std::nullopt;
  const std::string& m = status.message();
  const auto at = m.rfind(kRetryAfterText);
  if (at == std::string::npos || !m.ends_with(kRetryAfterUnit)) return std::nullopt;
  const char* begin = m.data() + at + kRetryAfterText.size();
  const char* end = m.data() + m.size() - kRetryAfterUnit.size();
  std::int64_t value = 0;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || value < 1) return std::nullopt;
  return value;
}

class RagService {
 public:
  virtual ~RagService();

  // FAQs. Lists are in id order (ids are time-ordered); cursors are the last id of a page.
  virtual Result<v1::CreateFaqResponse> CreateFaq(const v1::CreateFaqRequest& request) = 0;
  virtual Result<v1::ListFaqsResponse> ListFaqs(const v1::ListFaqsRequest& request) = 0;
  virtual Result<v1::GetFaqResponse> GetFaq(const v1::GetFaqRequest& request) = 0;
  virtual Result<v1::UpdateFaqResponse> UpdateFaq(const v1::UpdateFaqRequest& request) = 0;
  virtual Result<v1::DeleteFaqResponse> DeleteFaq(const v1::DeleteFaqRequest& request) = 0;
  // Valid rows are imported in one transaction; invalid ones are reported with their line.
  virtual Result<v1::ImportFaqsResponse> ImportFaqs(const v1::ImportFaqsRequest& request) = 0;

  // Documents. Small ones are ingested before the call returns (status "indexed"); large ones
  // are queued (status "processing") and ingested in the background, without holding a request
  // thread; GetDocument shows when they are done or why they failed.
  virtual Result<v1::AddDocumentResponse> AddDocument(const v1::AddDocumentRequest& request) = 0;
  virtual Result<v1::ListDocumentsResponse> ListDocuments(
      const v1::ListDocumentsRequest& request) = 0;
  virtual Result<v1::GetDocumentResponse> GetDocument(const v1::GetDocumentRequest& request) = 0;
  virtual Result<v1::DeleteDocumentResponse> DeleteDocument(
      const v1::DeleteDocumentRequest& request) = 0;

  // Retrieval over the business's index: keyword (BM25), vector (when an embedding provider is
  // configured) or both fused, with a calibrated confidence for the best result.
  virtual Result<v1::SearchResponse> Search(const v1::SearchRequest& request) = 0;
  virtual Result<v1::KnowledgeVersionResponse> KnowledgeVersion(
      const v1::KnowledgeVersionRequest& request) = 0;
};

}  // namespace milkyhoop::rag
