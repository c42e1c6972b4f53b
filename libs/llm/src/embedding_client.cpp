#include "milkyhoop/llm/embedding_client.hpp"

#include <algorithm>
#include <cmath>
#include <random>
#include <thread>

#include <nlohmann/json.hpp>

#include "milkyhoop/core/log.hpp"
#include "milkyhoop/httpclient/http_client.hpp"
#include "upstream_errors.hpp"

namespace milkyhoop::llm {
namespace {

using nlohmann::json;
using Vectors = std::vector<std::vector<float>>;

constexpr std::chrono::milliseconds kInitialBackoff{250};
constexpr std::chrono::milliseconds kMaxBackoff{2000};
constexpr std::size_t kMaxBatchSize = 2048;      // OpenAI's own limit per request
constexpr std::size_t kMaxDimension = 1u << 16;  // far above any real model
constexpr std::size_t kMaxResponseBytes = 256u << 20;

std::string EmbeddingsUrl(std::string_view base) {
  std::string out(base);
  while (!out.empty() && out.back() == '/') out.pop_back();
  return out + "/embeddings";
}

// The vectors of one response, in the order of the inputs (servers may reorder `data`).
Result<Vectors> ParseEmbeddings(std::string_view body, std::size_t expected) {
  json root = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return Internal("malformed embeddings response (not a JSON object)");
  }
  auto data = root.find("data");
  if (data == root.end() || !data->is_array()) {
    return Internal("embeddings response without a data array");
  }
  if (data->size() != expected) {
    return Internal("embeddings response has " + std::to_string(data->size()) + " vectors for " +
                    std::to_string(expected) + " inputs");
  }
  Vectors out(expected);
  std::vector<bool> seen(expected, false);
  for (std::size_t i = 0; i < data->size(); ++i) {
    const json& item = (*data)[i];
    if (!item.is_object()) return Internal("embeddings response item is not an object");
    std::size_t index = i;
    if (auto it = item.find("index"); it != item.end()) {
      if (!it->is_number_unsigned() || it->get<std::size_t>() >= expected) {
        return Internal("embeddings response item with a bad index");
      }
      index = it->get<std::size_t>();
    }
    if (seen[index]) return Internal("embeddings response repeats index " + std::to_string(index));
    seen[index] = true;
    auto embedding = item.find("embedding");
    if (embedding == item.end() || !embedding->is_array() || embedding->empty() ||
        embedding->size() > kMaxDimension) {
      return Internal("embeddings response item without a usable embedding array");
    }
    auto& vector = out[index];
    vector.reserve(embedding->size());
    for (const json& value : *embedding) {
      if (!value.is_number()) return Internal("embedding holds a non-number");
      const double v = value.get<double>();
      const float f = static_cast<float>(v);
      if (!std::isfinite(v) || !std::isfinite(f))
        return Internal("embedding holds a non-finite value");
      vector.push_back(f);
    }
  }
  return out;
}

// One batch, with retries on connect errors, 429 and 5xx.
Result<Vectors> EmbedBatch(const httpclient::HttpClient& client, const EmbeddingOptions& options,
                           const std::vector<std::string>& texts, std::size_t begin,
                           std::size_t end, std::minstd_rand& rng) {
  json input = json::array();
  for (std::size_t i = begin; i < end; ++i) input.push_back(texts[i]);
  httpclient::Request request;
  request.method = "POST";
  request.url = EmbeddingsUrl(options.endpoint.base_url);
  request.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  if (!options.endpoint.api_key.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + options.endpoint.api_key);
  }
  request.body = json{{"model", options.endpoint.model}, {"input", std::move(input)}}.dump(
      -1, ' ', false, json::error_handler_t::replace);

  Status last;
  for (int attempt = 1;; ++attempt) {
    auto response = client.Send(request);
    std::optional<std::chrono::milliseconds> retry_after;
    bool retryable = false;
    if (!response.ok()) {
      last = response.status();
      // Connect/transport failures are worth another try; a timeout already used its budget.
      retryable = last.code() == StatusCode::kUnavailable;
    } else if (response->status < 200 || response->status > 299) {
      last = StatusForHttp(response->status, response->body, options.endpoint.api_key);
      retryable = IsRetryableHttp(response->status);
      retry_after =
          ParseRetryAfter(response->Header("Retry-After"), std::chrono::system_clock::now());
    } else {
      return ParseEmbeddings(response->body, end - begin);
    }
    if (!retryable || attempt > options.max_retries) return last;
    const auto delay = RetryDelay(attempt, kInitialBackoff, kMaxBackoff, retry_after, rng);
    MH_LOG_DEBUG("retrying embeddings request", {"attempt", attempt}, {"delay_ms", delay.count()});
    std::this_thread::sleep_for(delay);  // a worker thread: blocking is its job
  }
}

}  // namespace

Result<Vectors> Embed(const EmbeddingOptions& options, const std::vector<std::string>& texts) {
  if (texts.empty()) return InvalidArgument("no texts to embed");
  if (texts.size() > kMaxEmbeddingTexts) {
    return InvalidArgument("too many texts to embed at once (limit " +
                           std::to_string(kMaxEmbeddingTexts) + ")");
  }
  for (std::size_t i = 0; i < texts.size(); ++i) {
    if (texts[i].empty()) return InvalidArgument("text " + std::to_string(i) + " is empty");
    if (texts[i].size() > kMaxEmbeddingTextBytes) {
      return InvalidArgument("text " + std::to_string(i) + " is longer than " +
                             std::to_string(kMaxEmbeddingTextBytes) + " bytes");
    }
  }
  if (options.batch_size == 0 || options.batch_size > kMaxBatchSize) {
    return InvalidArgument("embedding batch size must be within 1.." +
                           std::to_string(kMaxBatchSize));
  }
  if (options.timeout.count() <= 0) return InvalidArgument("embedding timeout must be positive");

  httpclient::ClientOptions http_options;
  http_options.total_timeout = options.timeout;
  http_options.connect_timeout = std::min(options.timeout, http_options.connect_timeout);
  http_options.max_response_body_bytes = kMaxResponseBytes;
  http_options.extra_ca_file = options.extra_ca_file;
  MH_ASSIGN_OR_RETURN(auto client, httpclient::HttpClient::Create(http_options));

  std::minstd_rand rng(static_cast<std::minstd_rand::result_type>(
      std::chrono::steady_clock::now().time_since_epoch().count()));
  Vectors out;
  out.reserve(texts.size());
  for (std::size_t begin = 0; begin < texts.size(); begin += options.batch_size) {
    const std::size_t end = std::min(texts.size(), begin + options.batch_size);
    MH_ASSIGN_OR_RETURN(Vectors batch, EmbedBatch(client, options, texts, begin, end, rng));
    for (auto& vector : batch) {
      if (!out.empty() && vector.size() != out.front().size()) {
        return Internal("embedding dimensions differ: " + std::to_string(out.front().size()) +
                        " and " + std::to_string(vector.size()));
      }
      out.push_back(std::move(vector));
    }
  }
  return out;
}

}  // namespace milkyhoop::llm
