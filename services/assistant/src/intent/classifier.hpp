#pragma once
// Intent from tagged tokens: a fixed precedence of keyword rules (replies, reports, corrections,
// stock and price questions, then transactions), each rule reading only which lexicon groups
// occur and whether numbers do. The precedence is the part that is not data: it says, for
// example, that "penjualan kemarin berapa" asks for a report because it has a question and no
// amount, while "penjualan 1 kodi sarung 1,2jt" records a sale.
#include <vector>

#include "milkyhoop/assistant/intent.hpp"
#include "tokenizer.hpp"

namespace milkyhoop::assistant::intent_internal {

Intent ClassifyIntent(const std::vector<Token>& tokens);

}  // namespace milkyhoop::assistant::intent_internal
