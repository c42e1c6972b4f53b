#pragma once
// A transaction the owner described and has not confirmed yet: what "ya" will post (or void),
// or — while something is missing — what the assistant is asking for. Kept in the session as
// JSON between turns.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "milkyhoop/assistant/product_match.hpp"

namespace milkyhoop::assistant::owner {

enum class DraftKind { kSale, kPurchase, kExpense, kVoid };
std::string_view DraftKindName(DraftKind kind);  // "sale", "purchase", "expense", "void"

struct DraftLine {
  std::string spoken;      // the item as the owner wrote it
  std::string name;        // the catalogue name once matched, else `spoken`
  std::string product_id;  // empty: a line by name, outside the catalogue (no stock moves)
  std::string unit;        // "kg", "gelas"… as written, for the summary
  std::int64_t quantity = 0;
  std::optional<std::int64_t> unit_price;
  std::vector<CatalogueProduct> choices;  // non-empty: ambiguous, the owner must pick one
  bool not_in_catalogue = false;          // told the owner it posts by name
};

struct Draft {
  std::string id;  // "adr_…"; the idempotency key of the posting derives from it
  DraftKind kind = DraftKind::kSale;
  std::vector<DraftLine> lines;        // sale, purchase
  std::string category;                // expense
  std::optional<std::int64_t> amount;  // expense
  std::string void_transaction_id;     // void
  std::string void_summary;            // void: "penjualan Rp 450.000 (10 Kaos)"
  std::string source_text;             // the message that started it (the transaction's note)
  std::int64_t expires_at_ms = 0;
};

// What the draft still needs before it can be posted, the first thing first.
struct Need {
  enum class What { kNothing, kProductChoice, kPrice, kAmount } what = What::kNothing;
  std::size_t line = 0;
};
Need FirstNeed(const Draft& draft);

// The sum of the lines (or the expense amount); nullopt while incomplete or beyond 10^12.
std::optional<std::int64_t> DraftTotal(const Draft& draft);

// "Catat penjualan 10 Kaos @ Rp 45.000 = Rp 450.000? (ya/batal)", or in English.
std::string DraftSummary(const Draft& draft, std::string_view language);
// The question for FirstNeed ("Berapa harga kaos?", "Kaos yang mana? 1) …").
std::string NeedQuestion(const Draft& draft, std::string_view language);

// The action data of a complete draft: {draft_id, type, items:[…], total, expires_at}.
std::string DraftActionJson(const Draft& draft);

std::string DraftToJson(const Draft& draft);
// nullopt when the text is not a draft this version wrote (the pending draft is then dropped).
std::optional<Draft> DraftFromJson(std::string_view text);

}  // namespace milkyhoop::assistant::owner
