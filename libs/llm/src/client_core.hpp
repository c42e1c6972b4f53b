#pragma once
// What every request of one LlmClient shares: the io_context its threads run, the TLS context,
// the options, and the registry of requests in flight (admission against the concurrency cap,
// cancel-all and wait-for-idle at shutdown).
#include "asio.hpp"  // first: see the note there

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/llm/llm_client.hpp"

namespace milkyhoop::llm {

class ChatCall;

class ClientCore {
 public:
  explicit ClientCore(LlmClient::Options options);

  const LlmClient::Options& options() const { return options_; }
  asio::io_context& io() { return io_; }
  ssl::context& tls() { return tls_; }
  // Not ok when the trust store or extra CA file could not be loaded: https requests fail so.
  const Status& tls_status() const { return tls_status_; }

  // Registers a request and takes one of the concurrency slots; 0 when none is free.
  std::uint64_t Admit(const std::shared_ptr<ChatCall>& call);
  // Gives the slot back: before on_done runs, so a caller may start the next request from it.
  void ReleaseSlot();
  // Forgets the request: after on_done has run, so shutdown waits for every on_done.
  void Unregister(std::uint64_t id);
  std::vector<std::shared_ptr<ChatCall>> InFlight();
  void WaitIdle();

 private:
  LlmClient::Options options_;
  asio::io_context io_;
  ssl::context tls_{ssl::context::tls_client};
  Status tls_status_;

  std::mutex mu_;
  std::condition_variable idle_;
  std::uint64_t next_id_ = 1;
  std::size_t slots_in_use_ = 0;
  std::unordered_map<std::uint64_t, std::weak_ptr<ChatCall>> calls_;
};

}  // namespace milkyhoop::llm
