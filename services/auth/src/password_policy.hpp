#pragma once
// What a new password must be: 8 to 128 characters, not the email's local part (nor contain
// it), not one of the most common passwords (data/common_passwords.txt, embedded at build time).
#include <string_view>

#include "milkyhoop/core/status.hpp"

namespace milkyhoop::auth {

inline constexpr std::size_t kMinPasswordChars = 8;
inline constexpr std::size_t kMaxPasswordChars = 128;

// OK, or kInvalidArgument with a field error on `password` saying which rule failed.
Status CheckPasswordPolicy(std::string_view password, std::string_view normalized_email);

// True when `password` (compared lower-cased) is on the embedded list.
bool IsCommonPassword(std::string_view password);
// How many passwords the embedded list holds (tests).
std::size_t CommonPasswordCount();

}  // namespace milkyhoop::auth
