#pragma once
// Normalisation of values before blind indexing: equal values must be equal bytes, or a lookup
// misses a row that is there. Storing and looking up must use this same function.

#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::security {

// Emails: surrounding whitespace dropped, ASCII letters lower-cased (local parts are case-
// insensitive in practice everywhere we send mail). Exactly one '@', something on both sides,
// no whitespace or control characters. kInvalidArgument on field "value" otherwise.
Result<std::string> NormalizeEmail(std::string_view value);

// Phones, to E.164 digits without '+': spaces, '-', '.', '(' and ')' dropped; a leading '+' or
// international prefix "00" dropped; a national Indonesian number "0…" becomes "62…". Then 8 to
// 15 digits. kInvalidArgument on field "value" otherwise.
//   "0812-3456-7890", "+62 812 3456 7890", "6281234567890" → "6281234567890"
Result<std::string> NormalizePhone(std::string_view value);

}  // namespace milkyhoop::security
