#include "testing/fake_llm.hpp"

#include <atomic>
#include <chrono>

namespace milkyhoop::chatbot::testing {

struct FakeLlm::Stream final : llm::ChatStream {
  explicit Stream(FakeLlm* owner) : owner(owner) {}
  void Cancel() override {
    std::lock_guard lock(owner->mu_);
    if (!cancelled) ++owner->cancellations_;
    cancelled = true;
    owner->cv_.notify_all();
  }
  FakeLlm* owner;
  bool cancelled = false;  // guarded by owner->mu_
};

FakeLlm::~FakeLlm() {
  {
    std::lock_guard lock(mu_);
    releases_ += 1'000'000;  // let every waiting stream finish
  }
  cv_.notify_all();
  for (auto& t : threads_) t.join();
}

void FakeLlm::SetScript(Script script) {
  std::lock_guard lock(mu_);
  script_ = std::move(script);
}

void FakeLlm::Release() {
  std::lock_guard lock(mu_);
  ++releases_;
  cv_.notify_all();
}

int FakeLlm::calls() {
  std::lock_guard lock(mu_);
  return calls_;
}

int FakeLlm::cancellations() {
  std::lock_guard lock(mu_);
  return cancellations_;
}

std::vector<llm::ChatRequest> FakeLlm::requests() {
  std::lock_guard lock(mu_);
  return requests_;
}

std::shared_ptr<llm::ChatStream> FakeLlm::StreamChat(llm::ChatRequest request,
                                                     std::function<void(std::string_view)> on_delta,
                                                     std::function<void(llm::ChatResult)> on_done) {
  auto stream = std::make_shared<Stream>(this);
  std::lock_guard lock(mu_);
  ++calls_;
  requests_.push_back(request);
  Script script = script_;
  threads_.emplace_back(
      [this, stream, script, on_delta = std::move(on_delta), on_done = std::move(on_done)] {
        llm::ChatResult result;
        int used = 0;
        for (const std::string& d : script.deltas) {
          std::unique_lock lock(mu_);
          if (script.step_by_step) {
            // Bounded: a test that forgets to release fails instead of hanging.
            cv_.wait_for(lock, std::chrono::seconds(10),
                         [&] { return stream->cancelled || releases_ > used; });
            ++used;
          }
          if (stream->cancelled) break;
          lock.unlock();
          result.text += d;
          on_delta(d);
        }
        bool cancelled = false;
        {
          std::lock_guard lock(mu_);
          cancelled = stream->cancelled;
        }
        result.status = cancelled ? Status(StatusCode::kCancelled, "cancelled") : script.end;
        result.usage.prompt_tokens = script.prompt_tokens;
        result.usage.completion_tokens = script.completion_tokens;
        result.finish_reason = "stop";
        on_done(std::move(result));
      });
  return stream;
}

llm::ChatResult FakeLlm::Complete(llm::ChatRequest) {
  llm::ChatResult r;
  r.status = Status(StatusCode::kUnimplemented, "the fake streams only");
  return r;
}

void FakeRag::SetSearch(rag::v1::SearchResponse response) {
  std::lock_guard lock(mu_);
  search_ = std::move(response);
}

void FakeRag::SetVersion(std::int64_t v) {
  std::lock_guard lock(mu_);
  version_ = v;
}

int FakeRag::searches() {
  std::lock_guard lock(mu_);
  return searches_;
}

rag::v1::SearchResponse FakeRag::Results(double confidence, int n) {
  rag::v1::SearchResponse r;
  r.set_confidence(confidence);
  for (int i = 0; i < n; ++i) {
    auto* x = r.add_results();
    x->set_source_type("faq");
    x->set_source_id("faq_" + std::to_string(i));
    x->set_title("Question " + std::to_string(i));
    x->set_text("Answer " + std::to_string(i));
    x->set_score(confidence);
  }
  return r;
}

namespace {
Status Unimplemented() { return Status(StatusCode::kUnimplemented, "fake"); }
}  // namespace

Result<rag::v1::CreateFaqResponse> FakeRag::CreateFaq(const rag::v1::CreateFaqRequest&) {
  return Unimplemented();
}
Result<rag::v1::ListFaqsResponse> FakeRag::ListFaqs(const rag::v1::ListFaqsRequest&) {
  return Unimplemented();
}
Result<rag::v1::GetFaqResponse> FakeRag::GetFaq(const rag::v1::GetFaqRequest&) {
  return Unimplemented();
}
Result<rag::v1::UpdateFaqResponse> FakeRag::UpdateFaq(const rag::v1::UpdateFaqRequest&) {
  return Unimplemented();
}
Result<rag::v1::DeleteFaqResponse> FakeRag::DeleteFaq(const rag::v1::DeleteFaqRequest&) {
  return Unimplemented();
}
Result<rag::v1::ImportFaqsResponse> FakeRag::ImportFaqs(const rag::v1::ImportFaqsRequest&) {
  return Unimplemented();
}
Result<rag::v1::AddDocumentResponse> FakeRag::AddDocument(const rag::v1::AddDocumentRequest&) {
  return Unimplemented();
}
Result<rag::v1::ListDocumentsResponse> FakeRag::ListDocuments(
    const rag::v1::ListDocumentsRequest&) {
  return Unimplemented();
}
Result<rag::v1::GetDocumentResponse> FakeRag::GetDocument(const rag::v1::GetDocumentRequest&) {
  return Unimplemented();
}
Result<rag::v1::DeleteDocumentResponse> FakeRag::DeleteDocument(
    const rag::v1::DeleteDocumentRequest&) {
  return Unimplemented();
}
Result<rag::v1::SearchResponse> FakeRag::Search(const rag::v1::SearchRequest&) {
  std::lock_guard lock(mu_);
  ++searches_;
  return search_;
}
Result<rag::v1::KnowledgeVersionResponse> FakeRag::KnowledgeVersion(
    const rag::v1::KnowledgeVersionRequest&) {
  std::lock_guard lock(mu_);
  rag::v1::KnowledgeVersionResponse r;
  r.set_version(version_);
  return r;
}

}  // namespace milkyhoop::chatbot::testing
