// Rules that read setup facts. Positions are byte offsets into the message; the lower-cased copy
// changes ASCII letters only, so offsets are shared and values keep the owner's capitals.
#include "setup_facts.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>

#include "milkyhoop/assistant/rupiah.hpp"

namespace milkyhoop::assistant::setup {
namespace {

constexpr std::size_t kMaxNameBytes = 100;
constexpr std::size_t kMaxAddressBytes = 300;
constexpr std::size_t kMaxCategoryBytes = 50;
constexpr std::size_t kMaxProducts = 50;
// Below this a number is a house number or a count, not a price.
constexpr std::int64_t kMinPrice = 100;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool IsSpace(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string Trim(std::string_view s, std::string_view extra = "") {
  auto strip = [&](char c) { return IsSpace(c) || extra.find(c) != std::string_view::npos; };
  while (!s.empty() && strip(s.front())) s.remove_prefix(1);
  while (!s.empty() && strip(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// Cuts to at most `max` bytes without splitting a UTF-8 sequence.
std::string Bounded(std::string s, std::size_t max) {
  if (s.size() <= max) return s;
  s.resize(max);
  while (!s.empty() && (static_cast<unsigned char>(s.back()) & 0xC0) == 0x80) s.pop_back();
  if (!s.empty() && (static_cast<unsigned char>(s.back()) & 0x80)) s.pop_back();
  return s;
}

struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;
};

// Where a label from `labels` first occurs at a word start: the span of the value after it.
std::optional<Span> AfterLabel(const std::string& lower,
                               std::initializer_list<std::string_view> labels) {
  std::optional<Span> best;
  std::size_t best_at = 0;
  for (std::string_view label : labels) {
    std::size_t at = 0;
    while ((at = lower.find(label, at)) != std::string::npos) {
      if (at == 0 || !std::isalnum(static_cast<unsigned char>(lower[at - 1]))) break;
      ++at;
    }
    if (at == std::string::npos) continue;
    // The earliest label wins; at one position the longest ("nama usaha saya " over "nama
    // usaha ").
    if (!best || at < best_at || (at == best_at && at + label.size() > best->begin)) {
      best = Span{at + label.size(), lower.size()};
      best_at = at;
    }
  }
  return best;
}

// The value from `from` up to the first of `stops` (or the end).
std::size_t ValueEnd(const std::string& lower, std::size_t from,
                     std::initializer_list<std::string_view> stops) {
  std::size_t end = lower.size();
  for (std::string_view stop : stops) {
    const std::size_t at = lower.find(stop, from);
    if (at != std::string::npos && at < end) end = at;
  }
  return end;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

struct Clock {
  int hour = 0;
  int minute = 0;
};

// A clock time at `i`: "8", "08.00", "8:30", "21.00", optionally followed by pagi/siang/sore/
// malam; advances `i` past it.
std::optional<Clock> ReadClock(const std::string& lower, std::size_t& i) {
  std::size_t j = i;
  int hour = 0, digits = 0;
  while (j < lower.size() && IsDigit(lower[j]) && digits < 2) {
    hour = hour * 10 + (lower[j] - '0');
    ++j;
    ++digits;
  }
  if (digits == 0 || (j < lower.size() && IsDigit(lower[j]))) return std::nullopt;
  int minute = 0;
  if (j + 2 < lower.size() + 0 && (lower[j] == '.' || lower[j] == ':') && IsDigit(lower[j + 1]) &&
      j + 2 < lower.size() && IsDigit(lower[j + 2])) {
    minute = (lower[j + 1] - '0') * 10 + (lower[j + 2] - '0');
    j += 3;
  }
  std::size_t k = j;
  while (k < lower.size() && lower[k] == ' ') ++k;
  auto word_at = [&](std::string_view w) { return lower.compare(k, w.size(), w) == 0; };
  if (word_at("sore") || word_at("malam") || word_at("pm")) {
    if (hour < 12) hour += 12;
  } else if (word_at("siang")) {
    if (hour < 11) hour += 12;
  }
  for (std::string_view w : {"pagi", "siang", "sore", "malam", "am", "pm", "wib", "wita", "wit"}) {
    if (word_at(w)) {
      j = k + w.size();
      break;
    }
  }
  if (hour == 24 && minute == 0) {
    hour = 23;
    minute = 59;
  }
  if (hour > 23 || minute > 59) return std::nullopt;
  i = j;
  return Clock{hour, minute};
}

std::string ClockText(const Clock& c, char separator) {
  char buffer[8];
  std::snprintf(buffer, sizeof buffer, "%02d%c%02d", c.hour, separator, c.minute);
  return buffer;
}

constexpr std::array<std::string_view, 7> kDayNames = {"senin", "selasa", "rabu",  "kamis",
                                                       "jumat", "sabtu",  "minggu"};
constexpr std::array<std::string_view, 7> kDayLabels = {"Senin", "Selasa", "Rabu",  "Kamis",
                                                        "Jumat", "Sabtu",  "Minggu"};
constexpr std::array<std::string_view, 7> kEnglishDays = {
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};

// Weekdays named in the text: a range "senin-sabtu"/"senin sampai jumat" or a list; every day
// when none is named or "setiap hari"/"tiap hari"/"every day".
std::vector<int> ReadDays(const std::string& lower) {
  std::vector<std::pair<std::size_t, int>> found;  // position, weekday
  for (int d = 0; d < 7; ++d) {
    for (std::string_view name : {kDayNames[d], kEnglishDays[d]}) {
      for (std::size_t at = lower.find(name); at != std::string::npos;
           at = lower.find(name, at + 1)) {
        found.push_back({at, d + 1});
      }
    }
    if (d == 4) {
      for (std::size_t at = lower.find("jum'at"); at != std::string::npos;
           at = lower.find("jum'at", at + 1)) {
        found.push_back({at, 5});
      }
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<int> days;
  if (found.empty()) {
    for (int d = 1; d <= 7; ++d) days.push_back(d);
    return days;
  }
  if (found.size() >= 2) {
    const std::string between = lower.substr(found[0].first, found[1].first - found[0].first);
    if (between.find('-') != std::string::npos || between.find("sampai") != std::string::npos ||
        between.find("s/d") != std::string::npos || between.find("hingga") != std::string::npos ||
        between.find(" to ") != std::string::npos) {
      for (int d = found[0].second;; d = d % 7 + 1) {
        days.push_back(d);
        if (d == found[1].second || days.size() == 7) break;
      }
      return days;
    }
  }
  for (const auto& [at, d] : found) {
    if (std::find(days.begin(), days.end(), d) == days.end()) days.push_back(d);
  }
  std::sort(days.begin(), days.end());
  return days;
}

std::string DaysText(const std::vector<int>& days) {
  if (days.size() == 7) return "Setiap hari";
  bool consecutive = days.size() >= 2;
  for (std::size_t i = 1; i < days.size(); ++i) consecutive &= days[i] == days[i - 1] + 1;
  if (consecutive) {
    return std::string(kDayLabels[days.front() - 1]) + "–" +
           std::string(kDayLabels[days.back() - 1]);
  }
  std::string out;
  for (std::size_t i = 0; i < days.size(); ++i) {
    out += (i > 0 ? ", " : "") + std::string(kDayLabels[days[i] - 1]);
  }
  return out;
}

struct CategoryKeyword {
  std::string_view keyword;
  std::string_view category;
};
// Longest phrases first, so "warung kopi" wins over "kopi". A bare "warung" or "toko" names no
// category: a warung may sell anything.
constexpr CategoryKeyword kCategories[] = {
    {"warung makan", "makanan"},
    {"rumah makan", "makanan"},
    {"warung nasi", "makanan"},
    {"warung kopi", "kafe"},
    {"kedai kopi", "kafe"},
    {"toko kue", "toko kue"},
    {"toko roti", "toko kue"},
    {"toko baju", "fashion"},
    {"toko kelontong", "toko kelontong"},
    {"warung sembako", "toko kelontong"},
    {"konter pulsa", "konter pulsa"},
    {"coffee shop", "kafe"},
    {"restoran", "makanan"},
    {"restaurant", "makanan"},
    {"katering", "makanan"},
    {"catering", "makanan"},
    {"kuliner", "makanan"},
    {"makanan", "makanan"},
    {"bakso", "makanan"},
    {"resto", "makanan"},
    {"kafe", "kafe"},
    {"cafe", "kafe"},
    {"laundry", "laundry"},
    {"binatu", "laundry"},
    {"bakery", "toko kue"},
    {"kue", "toko kue"},
    {"pakaian", "fashion"},
    {"fashion", "fashion"},
    {"butik", "fashion"},
    {"konveksi", "fashion"},
    {"sembako", "toko kelontong"},
    {"kelontong", "toko kelontong"},
    {"minimarket", "toko kelontong"},
    {"pulsa", "konter pulsa"},
    {"salon", "salon"},
    {"barbershop", "salon"},
    {"pangkas rambut", "salon"},
    {"bengkel", "bengkel"},
    {"percetakan", "percetakan"},
    {"fotokopi", "percetakan"},
    {"apotek", "apotek"},
    {"kosmetik", "kecantikan"},
};

bool IsWordAt(const std::string& lower, std::size_t at, std::size_t size) {
  const bool start = at == 0 || !std::isalnum(static_cast<unsigned char>(lower[at - 1]));
  const bool end =
      at + size >= lower.size() || !std::isalnum(static_cast<unsigned char>(lower[at + size]));
  return start && end;
}

}  // namespace

std::string_view FieldName(Field field) {
  switch (field) {
    case Field::kName:
      return "name";
    case Field::kCategory:
      return "category";
    case Field::kAddress:
      return "address";
    case Field::kHours:
      return "opening_hours";
    case Field::kPhone:
      return "phone";
    case Field::kProducts:
      return "products";
  }
  return "";
}

std::optional<Field> ParseField(std::string_view name) {
  for (Field f : kAllFields) {
    if (FieldName(f) == name) return f;
  }
  return std::nullopt;
}

bool IsSkip(std::string_view message) {
  const std::string m = Trim(Lower(message), ".!?");
  for (std::string_view s : {"lewati", "lewat", "skip", "tidak ada", "gak ada", "ga ada",
                             "nggak ada", "belum ada", "tidak", "-", "none", "no", "nanti saja",
                             "nanti aja", "kosong", "lewati saja", "lewati aja", "n/a"}) {
    if (m == s) return true;
  }
  return false;
}

std::optional<Hours> ReadHours(std::string_view text) {
  const std::string lower = Lower(text);
  if (lower.find("24 jam") != std::string::npos || lower.find("24 hours") != std::string::npos) {
    Hours h;
    const std::vector<int> days = ReadDays(lower);
    h.text = DaysText(days) + " 24 jam";
    for (int d : days) h.week.push_back({d, "00:00", "23:59"});
    return h;
  }
  // Two clock times joined by "-", "–", "sampai", "s/d", "hingga", "to", "until".
  for (std::size_t i = 0; i < lower.size(); ++i) {
    if (!IsDigit(lower[i]) || (i > 0 && (IsDigit(lower[i - 1]) || lower[i - 1] == '.' ||
                                         lower[i - 1] == ':' || lower[i - 1] == '+'))) {
      continue;
    }
    std::size_t j = i;
    const auto open = ReadClock(lower, j);
    if (!open) continue;
    std::size_t k = j;
    while (k < lower.size() && lower[k] == ' ') ++k;
    bool joined = false;
    for (std::string_view joiner :
         {"-", "\xE2\x80\x93", "sampai", "s/d", "s.d.", "hingga", "until", "to"}) {
      if (lower.compare(k, joiner.size(), joiner) == 0) {
        k += joiner.size();
        joined = true;
        break;
      }
    }
    if (!joined) continue;
    while (k < lower.size() && (lower[k] == ' ' || lower.compare(k, 4, "jam ") == 0)) {
      k += lower[k] == ' ' ? 1 : 4;
    }
    const auto close = ReadClock(lower, k);
    if (!close) continue;
    const int open_minutes = open->hour * 60 + open->minute;
    const int close_minutes = close->hour * 60 + close->minute;
    if (close_minutes <= open_minutes) continue;
    Hours h;
    const std::vector<int> days = ReadDays(lower);
    h.text = DaysText(days) + " " + ClockText(*open, '.') + "–" + ClockText(*close, '.');
    for (int d : days) h.week.push_back({d, ClockText(*open, ':'), ClockText(*close, ':')});
    return h;
  }
  return std::nullopt;
}

std::optional<std::string> ReadPhone(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool plus = text[i] == '+';
    if (!plus && !IsDigit(text[i])) continue;
    if (i > 0 && (IsDigit(text[i - 1]) || text[i - 1] == '.')) continue;
    std::string digits;
    std::size_t j = plus ? i + 1 : i;
    while (j < text.size() && digits.size() < 16 &&
           (IsDigit(text[j]) ||
            ((text[j] == ' ' || text[j] == '-') && j + 1 < text.size() && IsDigit(text[j + 1])))) {
      if (IsDigit(text[j])) digits += text[j];
      ++j;
    }
    const bool local = digits.size() >= 9 && digits.compare(0, 2, "08") == 0;
    const bool international = digits.size() >= 10 && digits.compare(0, 3, "628") == 0;
    if (digits.size() <= 15 && (local || international)) {
      return international ? "+" + digits : digits;
    }
    i = j;
  }
  return std::nullopt;
}

std::optional<std::string> ReadCategory(std::string_view text) {
  const std::string lower = Lower(text);
  std::optional<std::pair<std::size_t, std::string_view>> first;
  for (const CategoryKeyword& k : kCategories) {
    for (std::size_t at = lower.find(k.keyword); at != std::string::npos;
         at = lower.find(k.keyword, at + 1)) {
      if (!IsWordAt(lower, at, k.keyword.size())) continue;
      // The earliest mention wins; at one position the longer phrase (listed first) wins.
      if (!first || at < first->first) first = {at, k.category};
      break;
    }
  }
  if (!first) return std::nullopt;
  return std::string(first->second);
}

std::vector<ProductFact> ReadProducts(std::string_view text) {
  std::vector<ProductFact> out;
  // Segments separated by commas, semicolons, new lines, " dan ", " sama ", " and ".
  std::string normalised(text);
  for (std::string_view joiner : {" dan ", " sama ", " and ", " serta "}) {
    for (std::size_t at = Lower(normalised).find(joiner); at != std::string::npos;
         at = Lower(normalised).find(joiner, at + 1)) {
      normalised.replace(at, joiner.size(), ",");
    }
  }
  std::vector<std::string> segments;
  std::string current;
  for (std::size_t i = 0; i < normalised.size(); ++i) {
    const char c = normalised[i];
    // A comma between digits is a decimal ("1,5jt"), not a separator.
    const bool decimal_comma = c == ',' && i > 0 && i + 1 < normalised.size() &&
                               IsDigit(normalised[i - 1]) && IsDigit(normalised[i + 1]);
    if ((c == ',' && !decimal_comma) || c == ';' || c == '\n') {
      segments.push_back(std::move(current));
      current.clear();
    } else {
      current += c;
    }
  }
  segments.push_back(std::move(current));
  for (const std::string& segment : segments) {
    if (out.size() >= kMaxProducts) break;
    std::vector<std::string> words;
    std::string word;
    for (char c : segment) {
      if (IsSpace(c)) {
        if (!word.empty()) words.push_back(std::move(word));
        word.clear();
      } else {
        word += c;
      }
    }
    if (!word.empty()) words.push_back(std::move(word));
    if (words.size() > 40) continue;
    // The price: the last amount in the segment, one word or two ("15 ribu", "Rp 15.000").
    std::optional<std::int64_t> price;
    std::size_t price_at = words.size(), price_words = 0;
    for (std::size_t i = words.size(); i-- > 0;) {
      if (i + 1 < words.size()) {
        if (auto v = ParseRupiah(words[i] + " " + words[i + 1]); v && *v >= kMinPrice) {
          price = v;
          price_at = i;
          price_words = 2;
          break;
        }
      }
      if (auto v = ParseRupiah(words[i]); v && *v >= kMinPrice) {
        price = v;
        price_at = i;
        price_words = 1;
        break;
      }
    }
    if (!price || *price < kMinPrice) continue;
    std::string name;
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (i >= price_at && i < price_at + price_words) continue;
      const std::string w = Lower(Trim(words[i], ":=@-"));
      if (w.empty() || w == "harga" || w == "rp" || w == "@" || w == "per" || w == "menu" ||
          w == "menunya" || w == "produk" || w == "produknya" || w == "jual" || w == "jualan" ||
          w == "price" || w == "seharga" || w == "harganya" || w == "saya" || w == "kami") {
        continue;
      }
      name += (name.empty() ? "" : " ") + Trim(words[i], ":=@-");
    }
    name = Bounded(Trim(name, ":-"), kMaxNameBytes);
    if (name.empty()) continue;
    if (std::islower(static_cast<unsigned char>(name[0]))) {
      name[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(name[0])));
    }
    out.push_back({name, *price});
  }
  return out;
}

Facts ReadFacts(std::string_view message, std::optional<Field> asking) {
  Facts f;
  const std::string text(message);
  const std::string lower = Lower(text);
  const char* kClauseEnds[] = {",", "\n", ";", ". "};
  (void)kClauseEnds;

  std::optional<Span> name_span = AfterLabel(lower, {"nama usaha saya adalah ",
                                                     "nama usaha saya ",
                                                     "nama usahanya ",
                                                     "nama usaha: ",
                                                     "nama usaha ",
                                                     "nama toko saya ",
                                                     "nama tokonya ",
                                                     "nama toko: ",
                                                     "nama toko ",
                                                     "nama bisnis saya ",
                                                     "nama bisnis ",
                                                     "nama warung ",
                                                     "namanya ",
                                                     "nama: ",
                                                     "bernama ",
                                                     "business is called ",
                                                     "business name is ",
                                                     "shop is called ",
                                                     "called ",
                                                     "named "});
  if (name_span) {
    name_span->end = ValueEnd(lower, name_span->begin,
                              {",", "\n", ";", ". ", " di ", " yang ", " jualan", " menjual",
                               " alamat", " buka", " located", " at ", " in ", " dengan"});
    std::string value =
        Trim(std::string_view(text).substr(name_span->begin, name_span->end - name_span->begin),
             ":.!?\"'");
    if (Lower(value).rfind("adalah ", 0) == 0) value = Trim(value.substr(7));
    if (Lower(value).rfind("is ", 0) == 0) value = Trim(value.substr(3));
    if (!value.empty()) f.name = Bounded(value, kMaxNameBytes);
  }

  std::optional<Span> address_span =
      AfterLabel(lower, {"alamatnya di ", "alamatnya ", "alamat: ", "alamat di ", "alamat ",
                         "beralamat di ", "lokasinya di ", "lokasi di ",
                         "lokasi: ", "address: ", "address is ", "located at "});
  if (!address_span) {
    // A street named without a label: "… di Jl. Merdeka 10, Bandung".
    for (std::string_view street : {"jl.", "jl ", "jln.", "jalan ", "gang ", "gg."}) {
      const std::size_t at = lower.find(street);
      if (at != std::string::npos && IsWordAt(lower, at, street.size() - 1) &&
          (!address_span || at < address_span->begin)) {
        address_span = Span{at, lower.size()};
      }
    }
  }
  if (address_span) {
    std::size_t end =
        ValueEnd(lower, address_span->begin,
                 {"\n", ";", " buka", " jam ", " telp", " telepon", " wa ", " whatsapp", " hp ",
                  " nomor", " menu", " no hp", " no. hp", " open", " phone", " produk", " jualan"});
    // ". " ends the address unless it follows an abbreviation ("Jl. ", "No. ").
    for (std::size_t at = lower.find(". ", address_span->begin);
         at != std::string::npos && at < end; at = lower.find(". ", at + 1)) {
      const std::size_t word_start = lower.rfind(' ', at);
      const std::string before =
          lower.substr(word_start == std::string::npos ? 0 : word_start + 1,
                       at - (word_start == std::string::npos ? 0 : word_start + 1));
      if (before.size() > 3 || before.empty()) {
        end = at;
        break;
      }
    }
    std::string value =
        Trim(std::string_view(text).substr(address_span->begin, end - address_span->begin), ",.:");
    if (!value.empty()) f.address = Bounded(value, kMaxAddressBytes);
  }

  f.hours = ReadHours(text);
  f.phone = ReadPhone(text);

  std::optional<Span> products_span =
      AfterLabel(lower, {"menu: ", "menunya ", "menu kami ", "menu ", "produk: ", "produknya ",
                         "produk kami ", "produk ", "daftar harga: ", "daftar harga ",
                         "harga: ", "jualan ", "jual ", "products: ", "we sell "});
  if (products_span) {
    f.products = ReadProducts(std::string_view(text).substr(products_span->begin));
  } else if (asking == Field::kProducts) {
    f.products = ReadProducts(text);
  }

  // The category from a keyword outside the name ("Warung Kopi Pak Budi" names a kafe, too).
  f.category = ReadCategory(lower);

  // A bare answer to the field asked.
  const std::string whole = Trim(text, ".!?\"'");
  if (asking && !whole.empty() && !IsSkip(whole)) {
    switch (*asking) {
      case Field::kName:
        if (!f.name && !f.address && !f.phone && !f.hours) f.name = Bounded(whole, kMaxNameBytes);
        break;
      case Field::kCategory:
        if (!f.category) f.category = Bounded(Lower(whole), kMaxCategoryBytes);
        break;
      case Field::kAddress:
        if (!f.address) f.address = Bounded(whole, kMaxAddressBytes);
        break;
      case Field::kHours:
      case Field::kPhone:
      case Field::kProducts:
        break;  // these need their shape: a time range, a number, prices
    }
  }
  return f;
}

}  // namespace milkyhoop::assistant::setup
