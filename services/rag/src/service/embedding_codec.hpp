#pragma once
// Vectors as stored in the chunks and faqs tables: base64 of little-endian float32s (SQL
// parameters are text on both databases).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace milkyhoop::rag {

std::string EncodeEmbedding(const std::vector<float>& vector);
// nullopt for text that is not such an encoding (a corrupt row is skipped, never trusted).
std::optional<std::vector<float>> DecodeEmbedding(std::string_view text);

}  // namespace milkyhoop::rag
