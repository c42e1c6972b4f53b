// Drafts: their completeness, their summary in the owner's language, and their JSON forms.
#include "draft.hpp"

#include <ctime>
#include <nlohmann/json.hpp>

#include "milkyhoop/assistant/rupiah.hpp"

namespace milkyhoop::assistant::owner {
namespace {

using nlohmann::json;

bool English(std::string_view language) { return language == "en"; }

std::optional<std::int64_t> LineTotal(const DraftLine& line) {
  if (!line.unit_price) return std::nullopt;
  std::int64_t total = 0;
  if (__builtin_mul_overflow(*line.unit_price, line.quantity, &total) || total > kMaxRupiah) {
    return std::nullopt;
  }
  return total;
}

// "10 kg Beras" / "10 Kaos": the quantity, the unit when one was written, the name.
std::string LineLabel(const DraftLine& line) {
  std::string out = std::to_string(line.quantity) + " ";
  if (!line.unit.empty()) out += line.unit + " ";
  return out + line.name;
}

std::string KindNoun(DraftKind kind, bool english) {
  switch (kind) {
    case DraftKind::kSale:
      return english ? "a sale of" : "penjualan";
    case DraftKind::kPurchase:
      return english ? "a purchase of" : "pembelian";
    case DraftKind::kExpense:
      return english ? "an expense:" : "pengeluaran";
    case DraftKind::kVoid:
      return english ? "void" : "batalkan";
  }
  return "";
}

std::string Rfc3339(std::int64_t unix_ms) {
  const std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

json OptionalInt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }

}  // namespace

std::string_view DraftKindName(DraftKind kind) {
  switch (kind) {
    case DraftKind::kSale:
      return "sale";
    case DraftKind::kPurchase:
      return "purchase";
    case DraftKind::kExpense:
      return "expense";
    case DraftKind::kVoid:
      return "void";
  }
  return "sale";
}

Need FirstNeed(const Draft& draft) {
  if (draft.kind == DraftKind::kExpense) {
    return draft.amount ? Need{} : Need{Need::What::kAmount, 0};
  }
  for (std::size_t i = 0; i < draft.lines.size(); ++i) {
    if (!draft.lines[i].choices.empty()) return {Need::What::kProductChoice, i};
  }
  for (std::size_t i = 0; i < draft.lines.size(); ++i) {
    if (!draft.lines[i].unit_price) return {Need::What::kPrice, i};
  }
  return {};
}

std::optional<std::int64_t> DraftTotal(const Draft& draft) {
  if (draft.kind == DraftKind::kExpense) return draft.amount;
  if (draft.kind == DraftKind::kVoid) return std::nullopt;
  std::int64_t total = 0;
  for (const DraftLine& line : draft.lines) {
    const auto line_total = LineTotal(line);
    if (!line_total || __builtin_add_overflow(total, *line_total, &total) || total > kMaxRupiah) {
      return std::nullopt;
    }
  }
  return total;
}

std::string DraftSummary(const Draft& draft, std::string_view language) {
  const bool en = English(language);
  const std::string ask = en ? "? (yes/cancel)" : "? (ya/batal)";
  if (draft.kind == DraftKind::kVoid) {
    return (en ? "Void the last transaction: " : "Batalkan transaksi terakhir: ") +
           draft.void_summary + ask;
  }
  std::string out = (en ? "Record " : "Catat ") + KindNoun(draft.kind, en) + " ";
  if (draft.kind == DraftKind::kExpense) {
    return out + draft.category + " " + FormatRupiah(draft.amount.value_or(0)) + ask;
  }
  for (std::size_t i = 0; i < draft.lines.size(); ++i) {
    const DraftLine& line = draft.lines[i];
    if (i > 0) out += " + ";
    out += LineLabel(line) + " @ " + FormatRupiah(line.unit_price.value_or(0));
  }
  out += " = " + FormatRupiah(DraftTotal(draft).value_or(0)) + ask;
  for (const DraftLine& line : draft.lines) {
    if (!line.not_in_catalogue) continue;
    out += en ? "\nNote: \"" + line.spoken +
                    "\" is not in your catalogue; it is recorded by name, without stock. Add "
                    "the product first if you want its stock tracked."
              : "\nCatatan: \"" + line.spoken +
                    "\" belum ada di katalog; dicatat dengan namanya saja, tanpa stok. Tambahkan "
                    "produknya dulu bila stoknya ingin dihitung.";
  }
  return out;
}

std::string NeedQuestion(const Draft& draft, std::string_view language) {
  const bool en = English(language);
  const Need need = FirstNeed(draft);
  switch (need.what) {
    case Need::What::kNothing:
      return DraftSummary(draft, language);
    case Need::What::kAmount:
      return en ? "How much was the " + draft.category + " expense?"
                : "Berapa jumlah pengeluaran " + draft.category + "?";
    case Need::What::kPrice: {
      const DraftLine& line = draft.lines[need.line];
      std::string q = en ? "What is the price of one " + line.name + "?"
                         : "Berapa harga satuan " + line.name + "?";
      if (line.not_in_catalogue) {
        q = (en ? "\"" + line.spoken + "\" is not in your catalogue. "
                : "\"" + line.spoken + "\" belum ada di katalog. ") +
            q;
      }
      return q;
    }
    case Need::What::kProductChoice: {
      const DraftLine& line = draft.lines[need.line];
      std::string q = en ? "Which " + line.spoken + " do you mean?" : line.spoken + " yang mana?";
      for (std::size_t i = 0; i < line.choices.size(); ++i) {
        q += " " + std::to_string(i + 1) + ") " + line.choices[i].name;
      }
      return q + (en ? " (reply with the number or the name)" : " (balas nomor atau namanya)");
    }
  }
  return "";
}

std::string DraftActionJson(const Draft& draft) {
  json items = json::array();
  for (const DraftLine& line : draft.lines) {
    items.push_back(
        {{"product_id", line.product_id.empty() ? json(nullptr) : json(line.product_id)},
         {"name", line.name},
         {"quantity", line.quantity},
         {"unit_price", OptionalInt(line.unit_price)},
         {"line_total", OptionalInt(LineTotal(line))}});
  }
  json out = {{"draft_id", draft.id},      {"type", DraftKindName(draft.kind)},
              {"items", std::move(items)}, {"total", OptionalInt(DraftTotal(draft))},
              {"currency", "IDR"},         {"expires_at", Rfc3339(draft.expires_at_ms)}};
  if (draft.kind == DraftKind::kExpense) out["category"] = draft.category;
  if (draft.kind == DraftKind::kVoid) out["transaction_id"] = draft.void_transaction_id;
  return out.dump();
}

std::string DraftToJson(const Draft& draft) {
  json lines = json::array();
  for (const DraftLine& line : draft.lines) {
    json choices = json::array();
    for (const auto& c : line.choices) choices.push_back({c.id, c.name});
    lines.push_back({{"spoken", line.spoken},
                     {"name", line.name},
                     {"product_id", line.product_id},
                     {"unit", line.unit},
                     {"quantity", line.quantity},
                     {"unit_price", OptionalInt(line.unit_price)},
                     {"choices", std::move(choices)},
                     {"not_in_catalogue", line.not_in_catalogue}});
  }
  return json{{"v", 1},
              {"id", draft.id},
              {"kind", DraftKindName(draft.kind)},
              {"lines", std::move(lines)},
              {"category", draft.category},
              {"amount", OptionalInt(draft.amount)},
              {"void_transaction_id", draft.void_transaction_id},
              {"void_summary", draft.void_summary},
              {"source_text", draft.source_text},
              {"expires_at_ms", draft.expires_at_ms}}
      .dump();
}

std::optional<Draft> DraftFromJson(std::string_view text) {
  const json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || j.value("v", 0) != 1) return std::nullopt;
  try {
    Draft d;
    d.id = j.at("id").get<std::string>();
    const std::string kind = j.at("kind").get<std::string>();
    if (kind == "sale") {
      d.kind = DraftKind::kSale;
    } else if (kind == "purchase") {
      d.kind = DraftKind::kPurchase;
    } else if (kind == "expense") {
      d.kind = DraftKind::kExpense;
    } else if (kind == "void") {
      d.kind = DraftKind::kVoid;
    } else {
      return std::nullopt;
    }
    for (const json& l : j.at("lines")) {
      DraftLine line;
      line.spoken = l.at("spoken").get<std::string>();
      line.name = l.at("name").get<std::string>();
      line.product_id = l.at("product_id").get<std::string>();
      line.unit = l.at("unit").get<std::string>();
      line.quantity = l.at("quantity").get<std::int64_t>();
      if (!l.at("unit_price").is_null()) line.unit_price = l.at("unit_price").get<std::int64_t>();
      for (const json& c : l.at("choices")) {
        line.choices.push_back({c.at(0).get<std::string>(), c.at(1).get<std::string>()});
      }
      line.not_in_catalogue = l.at("not_in_catalogue").get<bool>();
      d.lines.push_back(std::move(line));
    }
    d.category = j.at("category").get<std::string>();
    if (!j.at("amount").is_null()) d.amount = j.at("amount").get<std::int64_t>();
    d.void_transaction_id = j.at("void_transaction_id").get<std::string>();
    d.void_summary = j.at("void_summary").get<std::string>();
    d.source_text = j.at("source_text").get<std::string>();
    d.expires_at_ms = j.at("expires_at_ms").get<std::int64_t>();
    return d;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

}  // namespace milkyhoop::assistant::owner
