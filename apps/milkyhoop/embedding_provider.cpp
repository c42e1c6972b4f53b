#include "embedding_provider.hpp"

#include "milkyhoop/llm/embedding_client.hpp"

namespace milkyhoop::app {
namespace {

class OpenAiEmbeddings final : public rag::EmbeddingProvider {
 public:
  explicit OpenAiEmbeddings(llm::EmbeddingOptions options) : options_(std::move(options)) {}
  std::string model() const override { return options_.endpoint.model; }
  Result<std::vector<std::vector<float>>> Embed(const std::vector<std::string>& texts) override {
    return llm::Embed(options_, texts);
  }

 private:
  const llm::EmbeddingOptions options_;
};

}  // namespace

std::shared_ptr<rag::EmbeddingProvider> MakeEmbeddingProvider(const AppConfig::Rag& config) {
  if (config.embedding_url.empty()) return nullptr;
  llm::EmbeddingOptions options;
  options.endpoint.base_url = config.embedding_url;
  options.endpoint.model = config.embedding_model;
  options.endpoint.api_key = config.embedding_api_key;
  options.timeout = std::chrono::milliseconds(config.embedding_timeout_ms);
  return std::make_shared<OpenAiEmbeddings>(std::move(options));
}

}  // namespace milkyhoop::app
