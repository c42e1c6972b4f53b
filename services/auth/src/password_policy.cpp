#include "password_policy.hpp"

#include <algorithm>
#include <cctype>
#include <string>
#include <unordered_set>

#include "email.hpp"

namespace milkyhoop::auth {

std::string_view CommonPasswordsText();  // generated from data/common_passwords.txt

namespace {

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

const std::unordered_set<std::string>& CommonPasswords() {
  static const auto* set = [] {
    auto* s = new std::unordered_set<std::string>();
    std::string_view text = CommonPasswordsText();
    while (!text.empty()) {
      auto nl = text.find('\n');
      std::string_view line = text.substr(0, nl);
      text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
      while (!line.empty() && std::isspace(static_cast<unsigned char>(line.back()))) {
        line.remove_suffix(1);
      }
      if (!line.empty() && line.front() != '#') s->insert(Lower(line));
    }
    return s;
  }();
  return *set;
}

// Characters as people count them: UTF-8 code points, not bytes.
std::size_t CodePoints(std::string_view s) {
  return static_cast<std::size_t>(std::count_if(
      s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
}

}  // namespace

bool IsCommonPassword(std::string_view password) {
  return CommonPasswords().contains(Lower(password));
}

std::size_t CommonPasswordCount() { return CommonPasswords().size(); }

Status CheckPasswordPolicy(std::string_view password, std::string_view normalized_email) {
  const std::size_t chars = CodePoints(password);
  if (chars < kMinPasswordChars) {
    return InvalidField("password", "must be at least 8 characters");
  }
  if (chars > kMaxPasswordChars) {
    return InvalidField("password", "must be at most 128 characters");
  }
  const std::string lower = Lower(password);
  const std::string_view local = EmailLocalPart(normalized_email);
  // A one- or two-letter local part is part of too many good passwords to forbid.
  if (local.size() >= 3 && lower.find(local) != std::string::npos) {
    return InvalidField("password", "must not contain the email address's name part");
  }
  if (IsCommonPassword(password)) {
    return InvalidField("password", "is too common; choose a less predictable password");
  }
  return Status::Ok();
}

}  // namespace milkyhoop::auth
