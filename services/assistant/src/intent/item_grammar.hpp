#pragma once
// The grammar of transaction lines: "10 kaos @45rb", "kopi susu 4 gelas total 60rb",
// "5 es teh 4000 sama 2 nasi goreng 15000", "12 donuts at 5k each", "1 kodi sarung harga 1,2jt".
// Items are split at separators ("sama", "dan", ",", "+", "and") or where a new quantity follows
// a priced item; names are the words around the numbers with function words removed.
#include <string>
#include <vector>

#include "milkyhoop/assistant/intent.hpp"
#include "tokenizer.hpp"

namespace milkyhoop::assistant::intent_internal {

inline constexpr std::size_t kMaxItems = 50;
inline constexpr std::int64_t kMaxQuantity = 1'000'000;

// What a price without a marker means: for a sale the owner states the selling price of what he
// counted ("3 nasi goreng 15rb"); for a purchase what he paid for the line ("kaos polos 100 pcs
// 2,5jt").
enum class BarePrice { kPerCountedUnit, kLineTotal };

struct ItemsParse {
  std::vector<ItemEntity> items;
  std::vector<std::string> problems;  // Indonesian, one per issue
};

// Words tagged with any of these groups are never part of an item or product name.
GroupMask NonNameGroups();
// True if tokens[i] is a word that can be part of a product name.
bool IsNameWord(const std::vector<Token>& tokens, std::size_t i);

ItemsParse ParseItems(const std::vector<Token>& tokens, BarePrice bare_price);

}  // namespace milkyhoop::assistant::intent_internal
