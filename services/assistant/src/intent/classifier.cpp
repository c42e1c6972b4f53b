#include "classifier.hpp"

#include "item_grammar.hpp"

namespace milkyhoop::assistant::intent_internal {
namespace {

constexpr std::size_t kNowhere = static_cast<std::size_t>(-1);

struct Features {
  GroupMask groups = 0;  // union over words
  int numbers = 0;       // number tokens
  int amounts = 0;       // numbers that read as money (rb/jt/Rp/grouped or ≥ 1,000)
  int name_words = 0;    // words in no group: product names and everything unknown
  bool question_mark = false;
  bool at_sign = false;
  bool only_reply_words = true;  // every word is a confirm/cancel/filler/stop word
  std::size_t first_sale = kNowhere, first_purchase = kNowhere, first_expense = kNowhere;

  bool Any(Group g) const { return (groups & Bit(g)) != 0; }
};

Features Collect(const std::vector<Token>& tokens) {
  constexpr GroupMask kReplyWords = Bit(kConfirm) | Bit(kCancel) | Bit(kFiller) | Bit(kStop);
  Features f;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const Token& t = tokens[i];
    switch (t.kind) {
      case TokenKind::kNumber:
        ++f.numbers;
        if (t.money || t.overflow || t.value.units >= 1000) ++f.amounts;
        f.only_reply_words = false;
        break;
      case TokenKind::kQuestion:
        f.question_mark = true;
        break;
      case TokenKind::kAt:
        f.at_sign = true;
        f.only_reply_words = false;
        break;
      case TokenKind::kComma:
        break;
      case TokenKind::kPlus:
      case TokenKind::kSlash:
        f.only_reply_words = false;
        break;
      case TokenKind::kWord:
        f.groups |= t.groups;
        if ((t.groups & ~kLanguageGroups) == 0) ++f.name_words;
        if ((t.groups & kReplyWords) == 0 || (t.groups & ~(kReplyWords | kLanguageGroups)) != 0) {
          f.only_reply_words = false;
        }
        if ((t.groups & Bit(kSale)) && f.first_sale == kNowhere) f.first_sale = i;
        if ((t.groups & Bit(kPurchase)) && f.first_purchase == kNowhere) f.first_purchase = i;
        if ((t.groups & Bit(kExpense)) && f.first_expense == kNowhere) f.first_expense = i;
        break;
    }
  }
  return f;
}

// The transaction verb that comes first, if any ("bayar kulakan" is an expense).
Intent FirstTransactionVerb(const Features& f) {
  std::size_t best = kNowhere;
  Intent intent = Intent::kUnknown;
  const std::pair<std::size_t, Intent> verbs[] = {{f.first_sale, Intent::kRecordSale},
                                                  {f.first_purchase, Intent::kRecordPurchase},
                                                  {f.first_expense, Intent::kRecordExpense}};
  for (const auto& [at, candidate] : verbs) {
    if (at < best) best = at, intent = candidate;
  }
  return intent;
}

}  // namespace

Intent ClassifyIntent(const std::vector<Token>& tokens) {
  const Features f = Collect(tokens);
  const bool has_period = (f.groups & kPeriodGroups) != 0;
  const bool asks = f.question_mark || f.Any(kQuestion);
  const Intent verb = FirstTransactionVerb(f);
  const bool transaction_with_amount = verb != Intent::kUnknown && f.numbers > 0;

  // 1. A bare reply to a draft: "ya", "ok simpan", "gak jadi deh", "batal".
  if (f.only_reply_words && (f.Any(kConfirm) || f.Any(kCancel))) {
    return f.Any(kCancel) ? Intent::kCancel : Intent::kConfirm;
  }
  // 2. Reports named by a phrase of their own, unless an amount makes it a transaction.
  if (!transaction_with_amount) {
    if (f.Any(kLowStock)) return Intent::kReportLowStock;
    if (f.Any(kSlow)) return Intent::kReportSlowProducts;
    if (f.Any(kTop)) return Intent::kReportTopProducts;
  }
  // 3. Undoing the last transaction: a void verb about something already recorded.
  if (f.Any(kVoid) && f.numbers == 0 && (f.Any(kVoidRef) || f.name_words == 0)) {
    return Intent::kVoidLast;
  }
  // 4. Stock changes: "tambah stok gula 20", "add 12 eggs to stock".
  if (f.Any(kStock) && (f.Any(kStockAdd) || f.Any(kStockSub))) return Intent::kStockAdjust;
  // 5. Profit and sales reports, and price questions: no amounts in them.
  if (!transaction_with_amount && f.Any(kProfit)) return Intent::kReportProfit;
  if (f.Any(kPrice) && f.numbers == 0 && !has_period) return Intent::kPriceQuery;
  if (f.amounts == 0 && f.Any(kSalesReport)) return Intent::kReportSales;
  if (f.numbers == 0 && verb == Intent::kRecordSale && (asks || has_period)) {
    return Intent::kReportSales;
  }
  // 6. Transactions with numbers; a stock question otherwise.
  if (transaction_with_amount) {
    // "beli bensin 50rb": buying what the shop uses up is an expense, not stock.
    if (verb == Intent::kRecordPurchase && f.Any(kCategory) && f.amounts == f.numbers &&
        f.numbers == 1) {
      return Intent::kRecordExpense;
    }
    return verb;
  }
  if (f.Any(kStock)) return Intent::kStockQuery;
  if (verb != Intent::kUnknown) return verb;  // "jual kaos", "bayar listrik": missing numbers
  if (f.Any(kPos)) return Intent::kRecordSale;
  // 7. An expense named by its category alone: "gaji karyawan 2 juta", "listrik 350rb".
  if (f.Any(kCategory) && f.amounts > 0) return Intent::kRecordExpense;
  // 8. A priced item line with no verb ("2 kopi @15rb"): the POS's commonest message, a sale.
  if ((f.at_sign || f.Any(kUnitPriceMark) || f.Any(kEachMark)) && f.numbers >= 1 &&
      f.name_words > 0 && !asks) {
    return Intent::kRecordSale;
  }
  if (f.Any(kPrice) && f.numbers == 0) return Intent::kPriceQuery;
  return Intent::kUnknown;
}

}  // namespace milkyhoop::assistant::intent_internal
