#include "setup_faqs.hpp"

#include "milkyhoop/assistant/rupiah.hpp"

namespace milkyhoop::assistant::setup {
namespace {

constexpr std::size_t kMaxPriceFaqs = 10;
constexpr std::size_t kMaxListedProducts = 15;

// How a category family calls what it sells, for the catalogue question.
struct Family {
  std::string catalogue_question;  // {name} is replaced
  std::string catalogue_answer;    // followed by the list
};

Family FamilyOf(const std::string& category) {
  if (category == "makanan" || category == "kafe" || category == "toko kue") {
    return {"Apa saja menu di {name}?", "Menu kami: "};
  }
  if (category == "laundry" || category == "salon" || category == "bengkel" ||
      category == "percetakan") {
    return {"Layanan apa saja yang ada di {name} dan berapa tarifnya?", "Layanan dan tarif kami: "};
  }
  return {"Produk apa saja yang dijual di {name}?", "Produk kami: "};
}

std::string Replace(std::string text, const std::string& name) {
  const std::string key = "{name}";
  for (std::size_t at = text.find(key); at != std::string::npos; at = text.find(key)) {
    text.replace(at, key.size(), name);
  }
  return text;
}

const char* const kDayLabels[] = {"Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"};

// "08:00" → "08.00", as Indonesians write the time.
std::string Dotted(std::string time) {
  for (char& c : time) {
    if (c == ':') c = '.';
  }
  return time;
}

}  // namespace

std::string Describe(const BusinessFacts& facts) {
  std::string out = facts.name;
  out += facts.category.empty() ? " adalah usaha" : " adalah usaha " + facts.category;
  if (!facts.address.empty()) out += " di " + facts.address;
  out += ".";
  if (facts.hours) out += " Buka " + facts.hours->text + ".";
  return out;
}

std::vector<Faq> ProposeFaqs(const BusinessFacts& f) {
  std::vector<Faq> out;
  const std::string& n = f.name;
  if (f.hours) {
    out.push_back({"Jam berapa " + n + " buka?", n + " buka " + f.hours->text + "."});
    // Sunday is the day customers ask about; answered from the structured week when known.
    if (!f.hours->week.empty()) {
      const DayHours* sunday = nullptr;
      for (const DayHours& d : f.hours->week) {
        if (d.weekday == 7) sunday = &d;
      }
      out.push_back({"Apakah " + n + " buka hari Minggu?",
                     sunday ? "Ya, hari Minggu kami buka pukul " + Dotted(sunday->open) + "–" +
                                  Dotted(sunday->close) + "."
                            : std::string("Maaf, hari ") + kDayLabels[6] + " kami tutup."});
    }
  }
  if (!f.address.empty()) {
    out.push_back({"Di mana alamat " + n + "?", "Alamat " + n + ": " + f.address + "."});
  }
  if (!f.phone.empty()) {
    out.push_back(
        {"Berapa nomor WhatsApp atau telepon " + n + "?", "Hubungi " + n + " di " + f.phone + "."});
  }
  out.push_back({"Apa itu " + n + "?", Describe(f)});
  if (!f.products.empty()) {
    const Family family = FamilyOf(f.category);
    std::string list;
    for (std::size_t i = 0; i < f.products.size() && i < kMaxListedProducts; ++i) {
      list += (i > 0 ? ", " : "") + f.products[i].name + " " + FormatRupiah(f.products[i].price);
    }
    if (f.products.size() > kMaxListedProducts) list += ", dan lainnya";
    out.push_back({Replace(family.catalogue_question, n), family.catalogue_answer + list + "."});
    for (std::size_t i = 0; i < f.products.size() && i < kMaxPriceFaqs; ++i) {
      const ProductFact& p = f.products[i];
      out.push_back({"Berapa harga " + p.name + " di " + n + "?",
                     "Harga " + p.name + " " + FormatRupiah(p.price) + "."});
    }
  }
  return out;
}

}  // namespace milkyhoop::assistant::setup
