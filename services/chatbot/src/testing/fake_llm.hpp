#pragma once
// Test doubles for the chatbot's collaborators: an LLM client whose streams are scripted (deltas
// released one by one on demand, failures before or after some deltas, cancellation observed),
// and a rag service whose search answers are set by the test.
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "milkyhoop/llm/llm_client.hpp"
#include "milkyhoop/rag/rag_service.hpp"

namespace milkyhoop::chatbot::testing {

class FakeLlm final : public llm::LlmClient {
 public:
  struct Script {
    std::vector<std::string> deltas = {"Buka ", "jam ", "tujuh."};
    // After the deltas: how the stream ends.
    Status end = Status::Ok();
    int prompt_tokens = 100;
    int completion_tokens = 20;
    // Each delta waits for Release() (so a test can see deltas arrive one at a time).
    bool step_by_step = false;
  };

  ~FakeLlm() override;
  void SetScript(Script script);
  // Lets the next delta of a step-by-step stream go.
  void Release();
  int calls();
  int cancellations();
  std::vector<llm::ChatRequest> requests();

  std::shared_ptr<llm::ChatStream> StreamChat(
      llm::ChatRequest request, std::function<void(std::string_view)> on_delta,
      std::function<void(llm::ChatResult)> on_done) override;
  llm::ChatResult Complete(llm::ChatRequest request) override;

 private:
  struct Stream;
  std::mutex mu_;
  std::condition_variable cv_;
  Script script_;
  int releases_ = 0;
  int calls_ = 0;
  int cancellations_ = 0;
  std::vector<llm::ChatRequest> requests_;
  std::vector<std::thread> threads_;
};

// A RagService answering Search with what the test set; the rest is unimplemented.
class FakeRag final : public rag::RagService {
 public:
  void SetSearch(rag::v1::SearchResponse response);
  void SetVersion(std::int64_t v);
  int searches();
  // `n` results: faq_0..faq_{n-1}, "Question i" / "Answer i", with this confidence.
  static rag::v1::SearchResponse Results(double confidence, int n);

  Result<rag::v1::CreateFaqResponse> CreateFaq(const rag::v1::CreateFaqRequest&) override;
  Result<rag::v1::ListFaqsResponse> ListFaqs(const rag::v1::ListFaqsRequest&) override;
  Result<rag::v1::GetFaqResponse> GetFaq(const rag::v1::GetFaqRequest&) override;
  Result<rag::v1::UpdateFaqResponse> UpdateFaq(const rag::v1::UpdateFaqRequest&) override;
  Result<rag::v1::DeleteFaqResponse> DeleteFaq(const rag::v1::DeleteFaqRequest&) override;
  Result<rag::v1::ImportFaqsResponse> ImportFaqs(const rag::v1::ImportFaqsRequest&) override;
  Result<rag::v1::AddDocumentResponse> AddDocument(const rag::v1::AddDocumentRequest&) override;
  Result<rag::v1::ListDocumentsResponse> ListDocuments(
      const rag::v1::ListDocumentsRequest&) override;
  Result<rag::v1::GetDocumentResponse> GetDocument(const rag::v1::GetDocumentRequest&) override;
  Result<rag::v1::DeleteDocumentResponse> DeleteDocument(
      const rag::v1::DeleteDocumentRequest&) override;
  Result<rag::v1::SearchResponse> Search(const rag::v1::SearchRequest& request) override;
  Result<rag::v1::KnowledgeVersionResponse> KnowledgeVersion(
      const rag::v1::KnowledgeVersionRequest&) override;

 private:
  std::mutex mu_;
  rag::v1::SearchResponse search_;
  std::int64_t version_ = 1;
  int searches_ = 0;
};

}  // namespace milkyhoop::chatbot::testing
