#pragma once
// Runs IngestDocument into a vector, for tests that look at every chunk.

#include <string>
#include <vector>

#include "milkyhoop/rag/ingest.hpp"

namespace milkyhoop::rag::testing {

inline Result<std::vector<Chunk>> IngestAll(DocumentFormat format, std::string_view bytes,
                                            ChunkOptions chunking = {}, IngestLimits limits = {}) {
  std::vector<Chunk> chunks;
  auto count = IngestDocument(format, bytes, limits, chunking, [&](Chunk&& c) {
    chunks.push_back(std::move(c));
    return Status::Ok();
  });
  if (!count.ok()) return std::move(count).TakeStatus();
  if (*count != chunks.size()) return Internal("count differs from the chunks sunk");
  return chunks;
}

inline std::string AllText(const std::vector<Chunk>& chunks) {
  std::string all;
  for (const Chunk& c : chunks) all += c.text + "\n\n";
  return all;
}

}  // namespace milkyhoop::rag::testing
