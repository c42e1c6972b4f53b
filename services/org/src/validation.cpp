#include "milkyhoop/org/validation.hpp"

#include <algorithm>
#include <cctype>

#include "milkyhoop/org/permissions.hpp"

namespace milkyhoop::org {
namespace {

bool IsAsciiSpace(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

// Counts code points of valid UTF-8 (shortest forms, no surrogates); -1 when invalid or when a
// control character (C0, DEL, C1) appears.
long CountPrintableCodePoints(std::string_view s) {
  long count = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp = 0;
    std::size_t len = 0;
    if (c < 0x80) {
      cp = c;
      len = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      len = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      len = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      len = 4;
    } else {
      return -1;
    }
    if (i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (cc & 0x3F);
    }
    const bool overlong =
        (len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000);
    if (overlong || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0)) return -1;
    ++count;
    i += len;
  }
  return count;
}

bool IsDomainLabelChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-';
}

}  // namespace

Result<std::string> ValidateName(std::string_view field, std::string_view name) {
  const std::string_view trimmed = TrimAscii(name);
  const long chars = CountPrintableCodePoints(trimmed);
  if (chars < 0) {
    return InvalidField(std::string(field), "must be valid UTF-8 without control characters");
  }
  if (chars == 0) return InvalidField(std::string(field), "must not be empty");
  if (static_cast<std::size_t>(chars) > kMaxNameChars) {
    return InvalidField(std::string(field),
                        "must be at most " + std::to_string(kMaxNameChars) + " characters");
  }
  return std::string(trimmed);
}

std::string NormalizeEmail(std::string_view email) {
  std::string out(TrimAscii(email));
  std::transform(out.begin(), out.end(), out.begin(), [](char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  });
  return out;
}

Result<std::string> ValidateEmail(std::string_view field, std::string_view email) {
  const std::string normalized = NormalizeEmail(email);
  auto invalid = [&] { return InvalidField(std::string(field), "must be an email address"); };
  if (normalized.empty() || normalized.size() > kMaxEmailBytes) return invalid();
  const std::size_t at = normalized.find('@');
  if (at == std::string::npos || at == 0 || at > 64 ||
      normalized.find('@', at + 1) != std::string::npos) {
    return invalid();
  }
  for (char c : normalized.substr(0, at)) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u == 0x7F || c == '"' || c == '(' || c == ')' || c == ',' || c == ':' ||
        c == ';' || c == '<' || c == '>' || c == '[' || c == ']' || c == '\\') {
      return invalid();
    }
  }
  const std::string_view domain = std::string_view(normalized).substr(at + 1);
  if (domain.empty() || domain.find('.') == std::string_view::npos) return invalid();
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    const std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
        !std::all_of(label.begin(), label.end(), IsDomainLabelChar)) {
      return invalid();
    }
    start = dot + 1;
  }
  return normalized;
}

Status ValidateRole(std::string_view field, std::string_view role) {
  if (!ParseRole(role)) {
    return InvalidField(std::string(field), "must be one of owner, admin, member, viewer");
  }
  return Status::Ok();
}

Result<std::vector<std::string>> ValidateScopes(std::string_view field,
                                                const std::vector<std::string>& scopes) {
  if (scopes.empty()) return InvalidField(std::string(field), "must name at least one scope");
  if (scopes.size() > kMaxScopes) {
    return InvalidField(std::string(field),
                        "must name at most " + std::to_string(kMaxScopes) + " scopes");
  }
  std::vector<std::string> out;
  for (const std::string& s : scopes) {
    if (!IsKnownPermission(s)) {
      return InvalidField(std::string(field), "unknown scope '" + s.substr(0, 64) + "'");
    }
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

Status ValidateBusinessId(std::string_view field, std::string_view business_id) {
  if (business_id.empty()) return Status::Ok();
  const bool charset_ok = std::all_of(business_id.begin(), business_id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
  });
  if (business_id.size() > kMaxBusinessIdBytes || !charset_ok) {
    return InvalidField(std::string(field), "must be a business id");
  }
  return Status::Ok();
}

Result<int> ValidatePageSize(std::string_view field, int limit) {
  if (limit == 0) return kDefaultPageSize;
  if (limit < 1 || limit > kMaxPageSize) {
    return InvalidField(std::string(field),
                        "must be between 1 and " + std::to_string(kMaxPageSize));
  }
  return limit;
}

}  // namespace milkyhoop::org
