// The LLM step's request text and the checks its answer must pass (llm_intent_answer.hpp).
#include "milkyhoop/assistant/llm_intent_answer.hpp"

#include <nlohmann/json.hpp>

#include "item_grammar.hpp"
#include "milkyhoop/assistant/rupiah.hpp"
#include "text_fold.hpp"

namespace milkyhoop::assistant {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxNameBytes = 100;

// The intents an LLM may report; confirm and cancel stay with the rules.
constexpr Intent kLlmIntents[] = {
    Intent::kRecordSale,         Intent::kRecordPurchase, Intent::kRecordExpense,
    Intent::kStockQuery,         Intent::kStockAdjust,    Intent::kPriceQuery,
    Intent::kReportProfit,       Intent::kReportSales,    Intent::kReportTopProducts,
    Intent::kReportSlowProducts, Intent::kReportLowStock, Intent::kVoidLast};
constexpr Period kPeriods[] = {Period::kToday,    Period::kYesterday, Period::kThisWeek,
                               Period::kLastWeek, Period::kThisMonth, Period::kLastMonth};

json BuildSchema() {
  json intents = json::array();
  for (Intent i : kLlmIntents) intents.push_back(IntentName(i));
  intents.push_back("unknown");
  json periods = json::array();
  for (Period p : kPeriods) periods.push_back(PeriodName(p));
  periods.push_back(nullptr);
  const json nullable_integer = {{"type", json::array({"integer", "null"})}};
  json item = {{"type", "object"},
               {"properties",
                {{"name", {{"type", "string"}}},
                 {"quantity", {{"type", "integer"}}},
                 {"unit_price", nullable_integer}}},
               {"required", {"name", "quantity", "unit_price"}},
               {"additionalProperties", false}};
  return {{"type", "object"},
          {"properties",
           {{"intent", {{"type", "string"}, {"enum", intents}}},
            {"items", {{"type", "array"}, {"items", item}}},
            {"category", {{"type", "string"}}},
            {"amount", nullable_integer},
            {"product", {{"type", "string"}}},
            {"delta", nullable_integer},
            {"period", {{"type", json::array({"string", "null"})}, {"enum", periods}}}}},
          {"required", {"intent", "items", "category", "amount", "product", "delta", "period"}},
          {"additionalProperties", false}};
}

// Folded, trimmed, single-spaced: how names are compared with the message.
std::string Normalised(std::string_view s) {
  const std::string folded = intent_internal::FoldForParsing(s);
  std::string out;
  bool space = false;
  for (char ch : folded) {
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += ch;
  }
  return out;
}

// A name the owner wrote: at least one of its words (of three letters or more, or the whole
// name when it is shorter) occurs in the message. An LLM that invents a product fails this.
std::optional<std::string> GroundedName(const json& value, const std::string& message) {
  if (!value.is_string()) return std::nullopt;
  const std::string name = Normalised(value.get<std::string>());
  if (name.empty() || name.size() > kMaxNameBytes) return std::nullopt;
  if (name.size() < 3) {
    if (message.find(name) == std::string::npos) return std::nullopt;
    return name;
  }
  std::size_t start = 0;
  while (start < name.size()) {
    std::size_t end = name.find(' ', start);
    if (end == std::string::npos) end = name.size();
    const std::string_view word(name.data() + start, end - start);
    if (word.size() >= 3 && message.find(word) != std::string::npos) return name;
    start = end + 1;
  }
  return std::nullopt;
}

// An integer in [low, high]; nullopt for anything else (a float, a string, null).
std::optional<std::int64_t> IntegerIn(const json& value, std::int64_t low, std::int64_t high) {
  if (!value.is_number_integer()) return std::nullopt;
  if (value.is_number_unsigned() && value.get<std::uint64_t>() > static_cast<std::uint64_t>(high)) {
    return std::nullopt;
  }
  const auto v = value.get<std::int64_t>();
  if (v < low || v > high) return std::nullopt;
  return v;
}

std::optional<Intent> IntentNamed(const std::string& name) {
  for (Intent i : kLlmIntents) {
    if (IntentName(i) == name) return i;
  }
  return std::nullopt;
}

bool ReadItems(const json& answer, const std::string& message, ParsedUtterance& out) {
  const json& items = answer["items"];
  if (!items.is_array() || items.empty() || items.size() > intent_internal::kMaxItems) {
    return false;
  }
  for (const json& entry : items) {
    if (!entry.is_object()) return false;
    ItemEntity item;
    auto name = GroundedName(entry.value("name", json()), message);
    auto quantity = IntegerIn(entry.value("quantity", json()), 1, intent_internal::kMaxQuantity);
    if (!name || !quantity) return false;
    item.name = std::move(*name);
    item.quantity = *quantity;
    const json price = entry.value("unit_price", json());
    if (!price.is_null()) {
      auto unit_price = IntegerIn(price, 1, kMaxRupiah);
      if (!unit_price) return false;
      item.unit_price = *unit_price;
    } else {
      out.problems.push_back("harga belum disebut untuk " + item.name);
    }
    out.entities.items.push_back(std::move(item));
  }
  return true;
}

bool ReadEntities(const json& answer, const std::string& message, ParsedUtterance& out) {
  switch (out.intent) {
    case Intent::kRecordSale:
    case Intent::kRecordPurchase:
      return ReadItems(answer, message, out);
    case Intent::kRecordExpense: {
      auto category = GroundedName(answer["category"], message);
      if (!category) return false;
      out.entities.category = std::move(*category);
      if (answer["amount"].is_null()) {
        out.problems.push_back("jumlah belum disebut untuk " + out.entities.category);
        return true;
      }
      out.entities.amount = IntegerIn(answer["amount"], 1, kMaxRupiah);
      return out.entities.amount.has_value();
    }
    case Intent::kStockQuery:
    case Intent::kPriceQuery: {
      auto product = GroundedName(answer["product"], message);
      if (!product) return false;
      out.entities.product = std::move(*product);
      return true;
    }
    case Intent::kStockAdjust: {
      auto product = GroundedName(answer["product"], message);
      const auto delta =
          IntegerIn(answer["delta"], -intent_internal::kMaxQuantity, intent_internal::kMaxQuantity);
      if (!product || !delta || *delta == 0) return false;
      out.entities.product = std::move(*product);
      out.entities.delta = delta;
      return true;
    }
    case Intent::kReportProfit:
    case Intent::kReportSales:
    case Intent::kReportTopProducts:
    case Intent::kReportSlowProducts: {
      const json& period = answer["period"];
      out.entities.period = Period::kThisMonth;  // as the rules default
      if (period.is_null()) return true;
      if (!period.is_string()) return false;
      for (Period p : kPeriods) {
        if (PeriodName(p) == period.get<std::string>()) {
          out.entities.period = p;
          return true;
        }
      }
      return false;
    }
    case Intent::kReportLowStock:
    case Intent::kVoidLast:
      return true;
    case Intent::kConfirm:
    case Intent::kCancel:
    case Intent::kUnknown:
      return false;
  }
  return false;
}

}  // namespace

const std::string& LlmIntentSchemaJson() {
  static const std::string schema = BuildSchema().dump();
  return schema;
}

const std::string& LlmIntentSystemPrompt() {
  static const std::string prompt =
      R"(You read one chat message from the owner of a small Indonesian shop and say what they want recorded or asked, as JSON. Intents:
- record_sale: they sold items ("jual", "laku", "terjual"); items with name, quantity, unit_price.
- record_purchase: they bought stock ("beli", "kulakan", "restock"); items as above.
- record_expense: they paid a cost that is not stock ("bayar listrik", "gaji", "bensin"); category and amount.
- stock_query / price_query: how much stock / what price of one product.
- stock_adjust: correct stock of a product by delta (negative to reduce).
- report_profit, report_sales, report_top_products, report_slow_products: with period today, yesterday, this_week, last_week, this_month or last_month (null when not said).
- report_low_stock, void_last (undo the last transaction).
- unknown: anything else (greetings, questions about other things, unclear messages).
Amounts are whole rupiah: "45rb", "45 ribu", "45k" = 45000; "1,5jt" = 1500000; "12.500" = 12500. "lusin" = 12 pieces, "kodi" = 20. "@" gives the unit price; "total" gives the line total (unit_price = total / quantity). Copy product names and categories as the owner wrote them, in lower case. Use null, "" or [] for what the message does not say. Never invent a product, number or period that is not in the message.
Examples:
"td laku kaos 3 biji, 45 rebuan" -> {"intent":"record_sale","items":[{"name":"kaos","quantity":3,"unit_price":45000}],"category":"","amount":null,"product":"","delta":null,"period":null}
"abis bayar tukang ledeng 200rb" -> {"intent":"record_expense","items":[],"category":"tukang ledeng","amount":200000,"product":"","delta":null,"period":null}
"omzet kmrn gmn" -> {"intent":"report_sales","items":[],"category":"","amount":null,"product":"","delta":null,"period":"yesterday"}
"halo selamat pagi" -> {"intent":"unknown","items":[],"category":"","amount":null,"product":"","delta":null,"period":null})";
  return prompt;
}

LlmIntentAnswer ReadLlmIntentAnswer(std::string_view answer, std::string_view text) {
  LlmIntentAnswer out;
  const json root = json::parse(answer, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) return out;
  const auto intent_field = root.find("intent");
  if (intent_field == root.end() || !intent_field->is_string()) return out;
  if (intent_field->get<std::string>() == "unknown") {
    out.kind = LlmIntentAnswer::Kind::kUnknown;
    return out;
  }
  const std::optional<Intent> intent = IntentNamed(intent_field->get<std::string>());
  if (!intent) return out;

  ParsedUtterance parsed;
  parsed.intent = *intent;
  parsed.language = "id";
  // Missing keys read as null: operator[] on a const json would be undefined behaviour.
  json complete = root;
  for (const char* key : {"items", "category", "amount", "product", "delta", "period"}) {
    if (!complete.contains(key)) complete[key] = nullptr;
  }
  if (!ReadEntities(complete, Normalised(text), parsed)) return out;
  out.kind = LlmIntentAnswer::Kind::kIntent;
  out.parsed = std::move(parsed);
  return out;
}

}  // namespace milkyhoop::assistant
