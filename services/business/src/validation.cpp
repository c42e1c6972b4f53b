#include "validation.hpp"

#include <array>

namespace milkyhoop::business {
namespace {

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
