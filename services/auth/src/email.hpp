#pragma once
// Email addresses as account identifiers: one canonical form (trimmed, lower-cased), so
// "Ana@Example.com " and "ana@example.com" are the same account.
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::auth {

// The canonical form, or kInvalidArgument with the field error {field, ...}. Accepts the
// common dot-atom form (no quoted local parts, no IP-literal domains, no comments): what a
// sign-up form should take.
Result<std::string> NormalizeEmail(std::string_view email, std::string_view field = "email");

// The part before '@' of a normalised email.
std::string_view EmailLocalPart(std::string_view normalized_email);

}  // namespace milkyhoop::auth
