#include "index_normalizer.hpp"

#include <algorithm>

namespace milkyhoop::security {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpace(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

Result<std::string> NormalizeEmail(std::string_view value) {
  const std::string_view trimmed = Trim(value);
  std::string out;
  out.reserve(trimmed.size());
  for (char c : trimmed) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F) return InvalidField("value", "is not an email address");
    out += (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::size_t at = out.find('@');
  if (at == std::string::npos || at == 0 || at + 1 == out.size() ||
      out.find('@', at + 1) != std::string::npos) {
    return InvalidField("value", "is not an email address");
  }
  return out;
}

Result<std::string> NormalizePhone(std::string_view value) {
  std::string digits;
  bool international = false;
  for (char c : Trim(value)) {
    if (c == ' ' || c == '-' || c == '.' || c == '(' || c == ')') continue;
    if (c == '+' && digits.empty() && !international) {
      international = true;
      continue;
    }
    if (c < '0' || c > '9') return InvalidField("value", "is not a phone number");
    digits += c;
  }
  if (!international) {
    if (digits.starts_with("00")) {
      digits.erase(0, 2);
    } else if (digits.starts_with("0")) {
      digits.replace(0, 1, "62");
    }
  }
  if (digits.size() < 8 || digits.size() > 15 || digits.front() == '0') {
    return InvalidField("value", "is not a phone number");
  }
  return digits;
}

}  // namespace milkyhoop::security
