#pragma once
// Client for OpenAI-compatible embeddings (POST {base}/embeddings): batched, retried, validated.

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/llm/llm_client.hpp"

namespace milkyhoop::llm {

struct EmbeddingOptions {
  Endpoint endpoint;
  std::size_t batch_size = 64;               // texts per request
  std::chrono::milliseconds timeout{15000};  // per request
  int max_retries = 2;                       // 429/5xx/connect, with backoff
  std::string extra_ca_file;                 // tests; system trust store always used for https
};

// Longest text accepted (bytes) and most texts per call: beyond → kInvalidArgument.
inline constexpr std::size_t kMaxEmbeddingTextBytes = 32 * 1024;
inline constexpr std::size_t kMaxEmbeddingTexts = 100'000;

// Blocking (called from worker threads): POST {base}/embeddings {"model","input":[...]}; batches
// the inputs, keeps the order, validates that every vector has the same dimension and finite
// values. kInvalidArgument for an empty text list or texts too long (or empty);
// kUnavailable/kDeadlineExceeded from the server side (kResourceExhausted for 429 after the
// retries, kInternal for a malformed answer).
Result<std::vector<std::vector<float>>> Embed(const EmbeddingOptions& options,
                                              const std::vector<std::string>& texts);

}  // namespace milkyhoop::llm
