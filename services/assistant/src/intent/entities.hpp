#pragma once
// Entities of the non-item intents, read from tagged tokens: the product a stock or price
// question is about, a stock change, an expense's category and amount, a report's period.
#include <optional>
#include <string>
#include <vector>

#include "milkyhoop/assistant/intent.hpp"
#include "tokenizer.hpp"

namespace milkyhoop::assistant::intent_internal {

// The first run of name words ("stok kain katun sisa berapa" → "kain katun"); a run of unit
// words alone ("berapa kg") only when there is nothing else. Empty when none.
std::string FirstProductName(const std::vector<Token>& tokens);

// The first period phrase ("bulan lalu", "this week"), if any.
std::optional<Period> FindPeriod(const std::vector<Token>& tokens);

// Fills product and delta of a stock adjustment; adds problems for what is missing or wrong.
void ReadStockAdjust(const std::vector<Token>& tokens, Entities& entities,
                     std::vector<std::string>& problems);

// Fills category and amount of an expense; adds problems for what is missing or wrong.
void ReadExpense(const std::vector<Token>& tokens, Entities& entities,
                 std::vector<std::string>& problems);

}  // namespace milkyhoop::assistant::intent_internal
