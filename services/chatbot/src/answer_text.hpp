#pragma once
// The texts the bot says without an LLM: the default deflection, the hand-off notice, the
// extractive answer (the best source's own words), and their cutting to size.
#include <string>
#include <string_view>

#include "milkyhoop/rag/v1/rag.pb.h"

namespace milkyhoop::chatbot {

// At most `max_bytes` of `text`, cut on a UTF-8 character boundary, with "…" when cut.
std::string TruncateUtf8(std::string_view text, std::size_t max_bytes);

// Tier 4 when the bot has no deflection message of its own, in the answer's language.
std::string DefaultDeflection(std::string_view language, std::string_view business_name);
// Said once when the conversation is handed to a human.
std::string HandoffNotice(std::string_view language);
// The best source's text as the answer: an FAQ's answer whole, other sources cut to a paragraph.
std::string ExtractiveAnswer(const rag::v1::SearchResult& best);

}  // namespace milkyhoop::chatbot
