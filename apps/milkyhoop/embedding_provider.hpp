#pragma once
// The rag service's embedding provider over an OpenAI-compatible /embeddings server.
#include <memory>

#include "app_config.hpp"
#include "milkyhoop/rag/rag_factory.hpp"

namespace milkyhoop::app {

// Null when rag.embedding_url is empty (keyword retrieval only).
std::shared_ptr<rag::EmbeddingProvider> MakeEmbeddingProvider(const AppConfig::Rag& config);

}  // namespace milkyhoop::app
