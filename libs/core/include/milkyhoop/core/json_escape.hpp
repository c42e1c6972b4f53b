#pragma once
// Appends text as the inside of a JSON string (quotes, backslashes, control bytes escaped;
// invalid UTF-8 bytes replaced so the output always parses).
#include <string>
#include <string_view>

namespace milkyhoop {
void AppendJsonEscaped(std::string& out, std::string_view text);
}  // namespace milkyhoop
