#include "milkyhoop/llm/llm_client.hpp"

#include "asio.hpp"  // first: see the note there

#include <future>
#include <thread>
#include <vector>

#include "chat_call.hpp"
#include "client_core.hpp"
#include "milkyhoop/core/log.hpp"

namespace milkyhoop::llm {
namespace {

class AsioLlmClient final : public LlmClient {
 public:
  explicit AsioLlmClient(Options options)
      : core_(std::make_shared<ClientCore>(std::move(options))),
        work_(asio::make_work_guard(core_->io())) {
    if (!core_->tls_status().ok()) {
      MH_LOG_WARN("LLM client: https disabled", {"reason", core_->tls_status().message()});
    }
    const int threads = std::clamp(core_->options().io_threads, 1, 64);
    for (int i = 0; i < threads; ++i) {
      threads_.emplace_back([core = core_] {
        for (;;) {
          try {
            core->io().run();
            return;
          } catch (const std::exception& e) {
            MH_LOG_ERROR("LLM client thread caught an exception", {"error", e.what()});
          }
        }
      });
    }
  }

  ~AsioLlmClient() override {
    for (auto& call : core_->InFlight()) call->Cancel();
    core_->WaitIdle();
    work_.reset();  // the threads return once the last handlers have run
    for (auto& t : threads_) t.join();
  }

  std::shared_ptr<ChatStream> StreamChat(ChatRequest request,
                                         std::function<void(std::string_view delta)> on_delta,
                                         std::function<void(ChatResult)> on_done) override {
    auto call = std::make_shared<ChatCall>(core_, std::move(request), /*streaming=*/true,
                                           std::move(on_delta), std::move(on_done));
    call->Start();
    return call;
  }

  ChatResult Complete(ChatRequest request) override {
    if (core_->io().get_executor().running_in_this_thread()) {
      ChatResult result;
      result.status = FailedPrecondition("LlmClient::Complete called on an LLM client thread");
      return result;
    }
    // Shared: on_done may still be inside set_value when get() returns here.
    auto promise = std::make_shared<std::promise<ChatResult>>();
    auto future = promise->get_future();
    auto call = std::make_shared<ChatCall>(
        core_, std::move(request), /*streaming=*/false, nullptr,
        [promise](ChatResult result) { promise->set_value(std::move(result)); });
    call->Start();
    return future.get();
  }

 private:
  std::shared_ptr<ClientCore> core_;
  asio::executor_work_guard<asio::io_context::executor_type> work_;
  std::vector<std::thread> threads_;
};

}  // namespace

std::unique_ptr<LlmClient> LlmClient::Create(Options options) {
  return std::make_unique<AsioLlmClient>(std::move(options));
}

}  // namespace milkyhoop::llm
