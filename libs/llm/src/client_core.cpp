#include "client_core.hpp"

#include <openssl/ssl.h>

#include <algorithm>

namespace milkyhoop::llm {

ClientCore::ClientCore(LlmClient::Options options)
    : options_(std::move(options)), io_(std::clamp(options_.io_threads, 1, 64)) {
  SSL_CTX_set_min_proto_version(tls_.native_handle(), TLS1_2_VERSION);
  tls_.set_verify_mode(ssl::verify_peer);
  beast::error_code ec;
  tls_.set_default_verify_paths(ec);
  if (ec) tls_status_ = FailedPrecondition("cannot load the system trust store: " + ec.message());
  if (!options_.extra_ca_file.empty()) {
    tls_.load_verify_file(options_.extra_ca_file, ec);
    if (ec) {
      tls_status_ =
          FailedPrecondition("cannot load CA file " + options_.extra_ca_file + ": " + ec.message());
    }
  }
}

std::uint64_t ClientCore::Admit(const std::shared_ptr<ChatCall>& call) {
  std::lock_guard lock(mu_);
  if (slots_in_use_ >= options_.max_concurrent_streams) return 0;
  ++slots_in_use_;
  const std::uint64_t id = next_id_++;
  calls_.emplace(id, call);
  return id;
}

void ClientCore::ReleaseSlot() {
  std::lock_guard lock(mu_);
  --slots_in_use_;
}

void ClientCore::Unregister(std::uint64_t id) {
  std::lock_guard lock(mu_);
  calls_.erase(id);
  if (calls_.empty()) idle_.notify_all();
}

std::vector<std::shared_ptr<ChatCall>> ClientCore::InFlight() {
  std::lock_guard lock(mu_);
  std::vector<std::shared_ptr<ChatCall>> out;
  out.reserve(calls_.size());
  for (auto& [id, weak] : calls_) {
    if (auto call = weak.lock()) out.push_back(std::move(call));
  }
  return out;
}

void ClientCore::WaitIdle() {
  std::unique_lock lock(mu_);
  idle_.wait(lock, [this] { return calls_.empty(); });
}

}  // namespace milkyhoop::llm
