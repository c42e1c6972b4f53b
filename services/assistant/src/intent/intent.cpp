// ParseOwnerUtterance: fold → tokenize → classify → read the entities the intent needs.
#include "milkyhoop/assistant/intent.hpp"

#include <exception>

#include "classifier.hpp"
#include "entities.hpp"
#include "item_grammar.hpp"
#include "lexicon.hpp"
#include "text_fold.hpp"
#include "tokenizer.hpp"

namespace milkyhoop::assistant {
namespace {

using intent_internal::BarePrice;
using intent_internal::Token;

void ReadItems(const std::vector<Token>& tokens, ParsedUtterance& out) {
  const bool sale = out.intent == Intent::kRecordSale;
  intent_internal::ItemsParse items = intent_internal::ParseItems(
      tokens, sale ? BarePrice::kPerCountedUnit : BarePrice::kLineTotal);
  out.entities.items = std::move(items.items);
  out.problems = std::move(items.problems);
  if (out.entities.items.empty()) {
    // A bare "jual"/"kasir": the owner wants the POS screen rather than a typed sale.
    out.open_pos = sale;
    out.problems.push_back(sale ? "barang yang dijual belum disebut"
                                : "barang yang dibeli belum disebut");
  }
}

void ReadEntities(const std::vector<Token>& tokens, ParsedUtterance& out) {
  switch (out.intent) {
    case Intent::kRecordSale:
    case Intent::kRecordPurchase:
      ReadItems(tokens, out);
      break;
    case Intent::kRecordExpense:
      intent_internal::ReadExpense(tokens, out.entities, out.problems);
      break;
    case Intent::kStockQuery:
    case Intent::kPriceQuery:
      out.entities.product = intent_internal::FirstProductName(tokens);
      if (out.entities.product.empty()) out.problems.push_back("nama barang belum disebut");
      break;
    case Intent::kStockAdjust:
      intent_internal::ReadStockAdjust(tokens, out.entities, out.problems);
      break;
    case Intent::kReportProfit:
    case Intent::kReportSales:
    case Intent::kReportTopProducts:
    case Intent::kReportSlowProducts:
      out.entities.period = intent_internal::FindPeriod(tokens).value_or(Period::kThisMonth);
      break;
    case Intent::kUnknown:
      out.problems.push_back("pesan tidak dikenali");
      break;
    case Intent::kReportLowStock:
    case Intent::kVoidLast:
    case Intent::kConfirm:
    case Intent::kCancel:
      break;
  }
}

}  // namespace

std::string_view IntentName(Intent intent) {
  switch (intent) {
    case Intent::kRecordSale:
      return "record_sale";
    case Intent::kRecordPurchase:
      return "record_purchase";
    case Intent::kRecordExpense:
      return "record_expense";
    case Intent::kStockQuery:
      return "stock_query";
    case Intent::kStockAdjust:
      return "stock_adjust";
    case Intent::kPriceQuery:
      return "price_query";
    case Intent::kReportProfit:
      return "report_profit";
    case Intent::kReportSales:
      return "report_sales";
    case Intent::kReportTopProducts:
      return "report_top_products";
    case Intent::kReportSlowProducts:
      return "report_slow_products";
    case Intent::kReportLowStock:
      return "report_low_stock";
    case Intent::kVoidLast:
      return "void_last";
    case Intent::kConfirm:
      return "confirm";
    case Intent::kCancel:
      return "cancel";
    case Intent::kUnknown:
      return "unknown";
  }
  return "unknown";
}

std::string_view PeriodName(Period period) {
  switch (period) {
    case Period::kToday:
      return "today";
    case Period::kYesterday:
      return "yesterday";
    case Period::kThisWeek:
      return "this_week";
    case Period::kLastWeek:
      return "last_week";
    case Period::kThisMonth:
      return "this_month";
    case Period::kLastMonth:
      return "last_month";
  }
  return "this_month";
}

ParsedUtterance ParseOwnerUtterance(std::string_view text) {
  ParsedUtterance out;
  out.language = "id";
  if (intent_internal::CountCodePoints(text, kMaxUtteranceChars) > kMaxUtteranceChars) {
    out.problems.push_back("pesan terlalu panjang (maks 2.000 karakter)");
    return out;
  }
  try {
    const std::string folded = intent_internal::FoldForParsing(text);
    const intent_internal::Tokenized tokenized =
        intent_internal::Tokenize(folded, intent_internal::TheLexicon());
    if (tokenized.english_words > tokenized.indonesian_words) out.language = "en";
    out.intent = intent_internal::ClassifyIntent(tokenized.tokens);
    ReadEntities(tokenized.tokens, out);
  } catch (const std::exception&) {
    // Only allocation failure can get here; a parse failure is never worth an exception.
    out = ParsedUtterance{};
    out.language = "id";
    out.problems.push_back("pesan tidak dapat diproses");
  }
  return out;
}

}  // namespace milkyhoop::assistant
