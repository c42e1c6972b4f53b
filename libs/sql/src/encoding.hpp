#pragma once
// Byte encodings the storage layer needs: base64 for outbox payloads (arbitrary bytes must
// survive a TEXT column, and PostgreSQL text cannot hold NUL or invalid UTF-8) and SHA-256 for
// migration checksums.

#include <optional>
#include <string>
#include <string_view>

namespace milkyhoop::sql::internal {

// Standard alphabet with padding, no line breaks.
std::string Base64Encode(std::string_view bytes);
// nullopt when `text` is not valid padded base64.
std::optional<std::string> Base64Decode(std::string_view text);
// Lowercase hex of the SHA-256 digest (64 characters).
std::string Sha256Hex(std::string_view bytes);

}  // namespace milkyhoop::sql::internal
