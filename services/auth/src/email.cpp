#include "email.hpp"

#include <algorithm>
#include <cctype>

namespace milkyhoop::auth {
namespace {

constexpr std::size_t kMaxEmail = 254;  // RFC 5321 path limit
constexpr std::size_t kMaxLocal = 64;

bool IsAtext(unsigned char c) {
  return std::isalnum(c) || std::string_view("!#$%&'*+/=?^_`{|}~-").find(static_cast<char>(c)) !=
                                std::string_view::npos;
}

bool ValidLocal(std::string_view local) {
  if (local.empty() || local.size() > kMaxLocal) return false;
  if (local.front() == '.' || local.back() == '.') return false;
  if (local.find("..") != std::string_view::npos) return false;
  return std::all_of(local.begin(), local.end(),
                     [](unsigned char c) { return c == '.' || IsAtext(c); });
}

bool ValidDomain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253 || domain.find('.') == std::string_view::npos) {
    return false;
  }
  std::size_t start = 0;
  while (start <= domain.size()) {
    std::size_t dot = domain.find('.', start);
    if (dot == std::string_view::npos) dot = domain.size();
    std::string_view label = domain.substr(start, dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    if (!std::all_of(label.begin(), label.end(),
                     [](unsigned char c) { return std::isalnum(c) || c == '-'; })) {
      return false;
    }
    start = dot + 1;
  }
  // The top-level label is never all digits (that would be an IP address).
  std::string_view tld = domain.substr(domain.rfind('.') + 1);
  return !std::all_of(tld.begin(), tld.end(), [](unsigned char c) { return std::isdigit(c); });
}

}  // namespace

Result<std::string> NormalizeEmail(std::string_view email, std::string_view field) {
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.front()))) {
    email.remove_prefix(1);
  }
  while (!email.empty() && std::isspace(static_cast<unsigned char>(email.back()))) {
    email.remove_suffix(1);
  }
  if (email.empty()) return InvalidField(std::string(field), "is required");
  if (email.size() > kMaxEmail) {
    return InvalidField(std::string(field), "must be at most 254 characters");
  }
  std::string out(email);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const auto at = out.find('@');
  if (at == std::string::npos || out.find('@', at + 1) != std::string::npos ||
      !ValidLocal(std::string_view(out).substr(0, at)) ||
      !ValidDomain(std::string_view(out).substr(at + 1))) {
    return InvalidField(std::string(field), "must be a valid email address");
  }
  return out;
}

std::string_view EmailLocalPart(std::string_view normalized_email) {
  return normalized_email.substr(0, normalized_email.find('@'));
}

}  // namespace milkyhoop::auth
