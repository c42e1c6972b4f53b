#include "validation.hpp"

#include <array>

namespace milkyhoop::business {
namespace {

// Code points of valid UTF-8 (no overlongs, no surrogates), or -1.
std::int64_t CountCodePoints(std::string_view s, bool multiline) {
  std::int64_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) {
      if ((b0 < 0x20 && !(multiline && (b0 == '\n' || b0 == '\t' || b0 == '\r'))) || b0 == 0x7F) {
        return -1;
      }
      ++i;
      continue;
    }
    std::size_t len;
    std::uint32_t cp;
    if ((b0 & 0xE0) == 0xC0) {
      len = 2;
      cp = b0 & 0x1F;
    } else if ((b0 & 0xF0) == 0xE0) {
      len = 3;
      cp = b0 & 0x0F;
    } else if ((b0 & 0xF8) == 0xF0) {
      len = 4;
      cp = b0 & 0x07;
    } else {
      return -1;
    }
    if (i + len > s.size()) return -1;
    for (std::size_t k = 1; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if ((b & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (b & 0x3F);
    }
    static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    if (cp >= 0x80 && cp <= 0x9F) return -1;  // C1 controls
    i += len;
  }
  return n;
}

bool ParseHhMm(std::string_view s, int* minutes) {
  if (s.size() != 5 || s[2] != ':') return false;
  for (int i : {0, 1, 3, 4}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  const int h = (s[0] - '0') * 10 + (s[1] - '0');
  const int m = (s[3] - '0') * 10 + (s[4] - '0');
  if (h > 24 || m > 59 || (h == 24 && m != 0)) return false;
  *minutes = h * 60 + m;
  return true;
}

}  // namespace

Result<std::string> ValidateText(std::string_view field, std::string_view value,
                                 std::size_t max_chars, bool required, bool multiline) {
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  if (value.empty()) {
    if (required) return InvalidField(std::string(field), "is required");
    return std::string();
  }
  const std::int64_t n = CountCodePoints(value, multiline);
  if (n < 0)
    return InvalidField(std::string(field), "must be UTF-8 text without control characters");
  if (static_cast<std::size_t>(n) > max_chars) {
    return InvalidField(std::string(field),
                        "must be at most " + std::to_string(max_chars) + " characters");
  }
  return std::string(value);
}

Status ValidateCurrency(std::string_view field, std::string_view currency) {
  static constexpr std::array<std::string_view, 12> kKnown = {
      "IDR", "USD", "EUR", "SGD", "MYR", "AUD", "JPY", "CNY", "GBP", "THB", "PHP", "VND"};
  for (std::string_view c : kKnown) {
    if (c == currency) return Status::Ok();
  }
  return InvalidField(std::string(field), "must be a supported ISO 4217 code such as \"IDR\"");
}

Status ValidateLanguage(std::string_view field, std::string_view language) {
  if (language == "id" || language == "en") return Status::Ok();
  return InvalidField(std::string(field), "must be \"id\" or \"en\"");
}

Status ValidateOpeningHours(std::string_view field,
                            const google::protobuf::RepeatedPtrField<v1::OpeningHours>& hours) {
  if (hours.size() > 21) return InvalidField(std::string(field), "at most 21 periods");
  for (int i = 0; i < hours.size(); ++i) {
    const v1::OpeningHours& h = hours[i];
    const std::string at = std::string(field) + "[" + std::to_string(i) + "]";
    if (h.weekday() < 1 || h.weekday() > 7) {
      return InvalidField(at + ".weekday", "must be 1 (Monday) to 7 (Sunday)");
    }
    int open = 0, close = 0;
    if (!ParseHhMm(h.open(), &open)) return InvalidField(at + ".open", "must be HH:MM");
    if (!ParseHhMm(h.close(), &close)) return InvalidField(at + ".close", "must be HH:MM");
    if (close <= open) return InvalidField(at + ".close", "must be after open");
  }
  return Status::Ok();
}

Status ValidateMoney(std::string_view field, const v1::Money& money, std::string_view currency) {
  if (money.currency() != currency) {
    return InvalidField(std::string(field) + ".currency",
                        "must be the business's currency " + std::string(currency));
  }
  if (money.amount() < 0) {
    return InvalidField(std::string(field) + ".amount", "must not be negative");
  }
  return Status::Ok();
}

Result<int> ValidatePageSize(std::string_view field, int limit) {
  if (limit == 0) return kDefaultPageSize;
  if (limit < 1 || limit > kMaxPageSize) {
    return InvalidField(std::string(field), "must be between 1 and 200");
  }
  return limit;
}

std::string EncodeOpeningHours(const google::protobuf::RepeatedPtrField<v1::OpeningHours>& hours) {
  std::string out;
  for (const v1::OpeningHours& h : hours) {
    if (!out.empty()) out += ';';
    out += std::to_string(h.weekday()) + ' ' + h.open() + ' ' + h.close();
  }
  return out;
}

void DecodeOpeningHours(std::string_view text,
                        google::protobuf::RepeatedPtrField<v1::OpeningHours>* out) {
  while (!text.empty()) {
    const std::size_t end = std::min(text.find(';'), text.size());
    const std::string_view one = text.substr(0, end);
    text.remove_prefix(std::min(end + 1, text.size()));
    if (one.size() != 13) continue;  // "1 08:00 17:00"
    v1::OpeningHours* h = out->Add();
    h->set_weekday(one[0] - '0');
    h->set_open(std::string(one.substr(2, 5)));
    h->set_close(std::string(one.substr(8, 5)));
  }
}

}  // namespace milkyhoop::business
