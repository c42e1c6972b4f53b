#include "setup_flow.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <nlohmann/json.hpp>

#include "milkyhoop/assistant/intent.hpp"
#include "milkyhoop/assistant/rupiah.hpp"
#include "setup_llm_faqs.hpp"

namespace milkyhoop::assistant::setup {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxProducts = 100;

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  while (!out.empty() && (std::isspace(static_cast<unsigned char>(out.back())) ||
                          out.back() == '.' || out.back() == '!')) {
    out.pop_back();
  }
  while (!out.empty() && std::isspace(static_cast<unsigned char>(out.front()))) out.erase(0, 1);
  return out;
}

bool Filled(const BusinessFacts& f, Field field) {
  switch (field) {
    case Field::kName:
      return !f.name.empty();
    case Field::kCategory:
      return !f.category.empty();
    case Field::kAddress:
      return !f.address.empty();
    case Field::kHours:
      return f.hours.has_value();
    case Field::kPhone:
      return !f.phone.empty();
    case Field::kProducts:
      return !f.products.empty();
  }
  return false;
}

bool Skipped(const SetupState& s, Field field) {
  return std::find(s.skipped.begin(), s.skipped.end(), field) != s.skipped.end();
}

std::optional<Field> NextField(const SetupState& s) {
  for (Field f : kAllFields) {
    if (!Filled(s.facts, f) && !Skipped(s, f)) return f;
  }
  return std::nullopt;
}

std::string Question(Field field) {
  switch (field) {
    case Field::kName:
      return "Apa nama usaha Anda?";
    case Field::kCategory:
      return "Usaha Anda bergerak di bidang apa? (mis. makanan, kafe, laundry, toko kelontong, "
             "fashion)";
    case Field::kAddress:
      return "Di mana alamat usaha Anda? (balas \"lewati\" bila tidak ada)";
    case Field::kHours:
      return "Jam berapa buka dan tutup? (mis. \"setiap hari 08.00-21.00\" atau \"senin-sabtu "
             "8-17\"; \"lewati\" bila tidak tetap)";
    case Field::kPhone:
      return "Berapa nomor WhatsApp/telepon usaha? (mis. 0812 3456 7890; \"lewati\" bila tidak "
             "ada)";
    case Field::kProducts:
      return "Sebutkan produk atau menu dan harganya, mis. \"kopi susu 15rb, es teh 5rb, roti "
             "bakar 12.000\" (\"lewati\" bila nanti saja).";
  }
  return "";
}

bool Skippable(Field field) { return field != Field::kName && field != Field::kCategory; }

// Applies what a message said; returns what was recorded, for the acknowledgement.
std::vector<std::string> Apply(SetupState& s, const Facts& facts) {
  std::vector<std::string> got;
  BusinessFacts& f = s.facts;
  auto take = [&](Field field) {
    s.skipped.erase(std::remove(s.skipped.begin(), s.skipped.end(), field), s.skipped.end());
  };
  if (facts.name && *facts.name != f.name) {
    f.name = *facts.name;
    take(Field::kName);
    got.push_back("nama " + f.name);
  }
  if (facts.category && *facts.category != f.category) {
    f.category = *facts.category;
    take(Field::kCategory);
    got.push_back("kategori " + f.category);
  }
  if (facts.address && *facts.address != f.address) {
    f.address = *facts.address;
    take(Field::kAddress);
    got.push_back("alamat " + f.address);
  }
  if (facts.hours) {
    f.hours = *facts.hours;
    take(Field::kHours);
    got.push_back("jam buka " + f.hours->text);
  }
  if (facts.phone && *facts.phone != f.phone) {
    f.phone = *facts.phone;
    take(Field::kPhone);
    got.push_back("telepon " + f.phone);
  }
  std::size_t added = 0;
  for (const ProductFact& p : facts.products) {
    auto same = std::find_if(f.products.begin(), f.products.end(),
                             [&](const ProductFact& q) { return Lower(q.name) == Lower(p.name); });
    if (same != f.products.end()) {
      same->price = p.price;
    } else if (f.products.size() < kMaxProducts) {
      f.products.push_back(p);
    }
    ++added;
  }
  if (added > 0) {
    take(Field::kProducts);
    got.push_back(std::to_string(added) + " produk");
  }
  return got;
}

std::string Acknowledge(const std::vector<std::string>& got) {
  if (got.empty()) return "";
  std::string out = "Tercatat: ";
  for (std::size_t i = 0; i < got.size(); ++i) out += (i > 0 ? ", " : "") + got[i];
  return out + ". ";
}

std::string Summary(const SetupState& s) {
  const BusinessFacts& f = s.facts;
  auto or_dash = [](const std::string& v) { return v.empty() ? std::string("-") : v; };
  std::string out = "Ringkasan bisnis Anda:\n- Nama: " + f.name + "\n- Kategori: " + f.category +
                    "\n- Alamat: " + or_dash(f.address) +
                    "\n- Jam buka: " + (f.hours ? f.hours->text : "-") +
                    "\n- Telepon: " + or_dash(f.phone) + "\n- Produk: ";
  if (f.products.empty()) out += "-";
  for (std::size_t i = 0; i < f.products.size(); ++i) {
    out += (i > 0 ? ", " : "") + f.products[i].name + " " + FormatRupiah(f.products[i].price);
  }
  return out +
         "\nSudah benar? Balas \"ya\" untuk lanjut, atau tulis yang mau diubah (mis. "
         "\"alamat: Jl. Mawar 3\").";
}

std::string FaqList(const SetupState& s) {
  std::string out =
      "Saya siapkan " + std::to_string(s.faqs.size()) + " FAQ untuk chatbot pelanggan Anda:";
  for (std::size_t i = 0; i < s.faqs.size(); ++i) {
    out += "\n" + std::to_string(i + 1) + ". " + s.faqs[i].question + " — " + s.faqs[i].answer;
  }
  return out +
         "\nBalas \"ya\" untuk menyimpan dan mengaktifkan bisnis, atau \"hapus 2\" untuk "
         "membuang FAQ nomor 2.";
}

bool IsConfirm(std::string_view message) {
  const std::string m = Lower(message);
  for (std::string_view w : {"selesai", "sudah", "sudah benar", "aktifkan", "simpan", "done"}) {
    if (m == w) return true;
  }
  return ParseOwnerUtterance(message).intent == Intent::kConfirm;
}

// "hapus 2" / "hapus nomor 2" / "delete 2": the FAQ number (1-based).
std::optional<std::size_t> DeleteNumber(std::string_view message) {
  const std::string m = Lower(message);
  for (std::string_view verb : {"hapus nomor ", "hapus no ", "hapus ", "buang ", "delete "}) {
    if (m.rfind(verb, 0) != 0) continue;
    std::size_t n = 0;
    const char* begin = m.data() + verb.size();
    const auto [end, ec] = std::from_chars(begin, m.data() + m.size(), n);
    if (ec == std::errc() && end == m.data() + m.size()) return n;
  }
  return std::nullopt;
}

json HoursJson(const std::optional<Hours>& h) {
  if (!h) return nullptr;
  json week = json::array();
  for (const DayHours& d : h->week) week.push_back({d.weekday, d.open, d.close});
  return {{"text", h->text}, {"week", std::move(week)}};
}

std::optional<Hours> HoursFromJson(const json& j) {
  if (j.is_null()) return std::nullopt;
  Hours h;
  h.text = j.at("text").get<std::string>();
  for (const json& d : j.at("week")) {
    h.week.push_back({d.at(0).get<int>(), d.at(1).get<std::string>(), d.at(2).get<std::string>()});
  }
  return h;
}

}  // namespace

std::string StateToJson(const SetupState& s) {
  json products = json::array();
  for (const auto& p : s.facts.products) products.push_back({p.name, p.price});
  json faqs = json::array();
  for (const auto& f : s.faqs) faqs.push_back({f.question, f.answer});
  json skipped = json::array();
  for (Field f : s.skipped) skipped.push_back(FieldName(f));
  return json{{"v", 1},
              {"state", s.state},
              {"name", s.facts.name},
              {"category", s.facts.category},
              {"address", s.facts.address},
              {"phone", s.facts.phone},
              {"hours", HoursJson(s.facts.hours)},
              {"products", std::move(products)},
              {"skipped", std::move(skipped)},
              {"asking", s.asking ? json(FieldName(*s.asking)) : json(nullptr)},
              {"faqs", std::move(faqs)},
              {"org_id", s.org_id},
              {"business_id", s.business_id},
              {"products_created", s.products_created},
              {"faqs_created", s.faqs_created}}
      .dump();
}

SetupState StateFromJson(std::string_view text) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("v", 0) != 1) return {};
  try {
    SetupState s;
    s.state = j.at("state").get<std::string>();
    s.facts.name = j.at("name").get<std::string>();
    s.facts.category = j.at("category").get<std::string>();
    s.facts.address = j.at("address").get<std::string>();
    s.facts.phone = j.at("phone").get<std::string>();
    s.facts.hours = HoursFromJson(j.at("hours"));
    for (const json& p : j.at("products")) {
      s.facts.products.push_back({p.at(0).get<std::string>(), p.at(1).get<std::int64_t>()});
    }
    for (const json& f : j.at("skipped")) {
      if (auto field = ParseField(f.get<std::string>())) s.skipped.push_back(*field);
    }
    if (!j.at("asking").is_null()) s.asking = ParseField(j.at("asking").get<std::string>());
    for (const json& f : j.at("faqs")) {
      s.faqs.push_back({f.at(0).get<std::string>(), f.at(1).get<std::string>()});
    }
    s.org_id = j.at("org_id").get<std::string>();
    s.business_id = j.at("business_id").get<std::string>();
    s.products_created = j.at("products_created").get<int>();
    s.faqs_created = j.at("faqs_created").get<int>();
    return s;
  } catch (const json::exception&) {
    return {};
  }
}

StepResult Step(SetupState& s, std::string_view message, const FaqWriter* writer) {
  if (s.state == kDone) return {DoneReply(s), false};

  if (s.state == kReview) {
    if (auto n = DeleteNumber(message)) {
      if (*n >= 1 && *n <= s.faqs.size()) {
        s.faqs.erase(s.faqs.begin() + static_cast<std::ptrdiff_t>(*n - 1));
        return {"FAQ nomor " + std::to_string(*n) + " dibuang.\n" + FaqList(s), false};
      }
      return {"Tidak ada FAQ nomor " + std::to_string(*n) + ".\n" + FaqList(s), false};
    }
    if (IsConfirm(message)) return {"", true};
    // A correction of the facts goes back to confirming, and the FAQs are proposed again.
    const Facts facts = ReadFacts(message, std::nullopt);
    const std::vector<std::string> got = Apply(s, facts);
    if (!got.empty()) {
      s.state = kConfirming;
      s.faqs.clear();
      return {Acknowledge(got) + Summary(s), false};
    }
    return {FaqList(s), false};
  }

  const Facts facts = ReadFacts(message, s.state == kConfirming ? std::nullopt : s.asking);
  const std::optional<Field> asked = s.asking;
  std::vector<std::string> got = Apply(s, facts);

  if (s.state == kConfirming) {
    if (!got.empty()) return {Acknowledge(got) + Summary(s), false};
    if (IsConfirm(message)) {
      // generating_faqs is passed through within this turn: the templates answer at once, the
      // LLM (when there is one) within its time limit.
      s.state = kGeneratingFaqs;
      s.faqs = ProposeFaqs(s.facts);
      if (writer) {
        for (Faq& faq : CheckedLlmFaqs(s.facts, writer->Write(FactsText(s.facts)), s.faqs)) {
          s.faqs.push_back(std::move(faq));
        }
      }
      s.state = kReview;
      return {FaqList(s), false};
    }
    return {
        "Bagian mana yang mau diubah? Tulis mis. \"nama: Warung Bu Sari\", \"alamat: Jl. "
        "Mawar 3\", \"jam buka 08.00-20.00\", \"menu: kopi 10rb\".\n" +
            Summary(s),
        false};
  }

  // welcome or collecting_info.
  std::string prefix = Acknowledge(got);
  if (got.empty() && asked) {
    if (IsSkip(message) && Skippable(*asked)) {
      s.skipped.push_back(*asked);
      prefix = "Oke, dilewati. ";
    } else if (s.state != kWelcome) {
      prefix = "Maaf, belum saya tangkap. ";
    }
  }
  if (s.state == kWelcome && got.empty() && !asked) {
    s.asking = Field::kName;
    return {
        "Halo! Saya asisten MilkyHoop. Saya bantu siapkan bisnis dan chatbot pelanggan Anda "
        "lewat obrolan singkat. " +
            Question(Field::kName),
        false};
  }
  s.state = kCollectingInfo;
  if (const auto next = NextField(s)) {
    s.asking = *next;
    return {prefix + Question(*next), false};
  }
  s.asking.reset();
  s.state = kConfirming;
  return {prefix + Summary(s), false};
}

int Progress(const SetupState& s) {
  if (s.state == kDone) return 100;
  if (s.state == kReview) return 90;
  if (s.state == kGeneratingFaqs) return 85;
  if (s.state == kConfirming) return 80;
  int answered = 0;
  for (Field f : kAllFields) answered += Filled(s.facts, f) || Skipped(s, f);
  return answered * 70 / static_cast<int>(std::size(kAllFields));
}

std::string DoneReply(const SetupState& s) {
  return "Selesai! " + s.facts.name + " sudah aktif: " + std::to_string(s.products_created) +
         " produk dan " + std::to_string(s.faqs_created) +
         " FAQ tersimpan, dan chatbot pelanggan sudah bisa menjawab. Catat transaksi lewat "
         "asisten, mis. \"jual 2 " +
         (s.facts.products.empty() ? std::string("kopi") : s.facts.products.front().name) + "\".";
}

}  // namespace milkyhoop::assistant::setup
