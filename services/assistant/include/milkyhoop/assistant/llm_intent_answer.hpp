#pragma once
// The last step of the owner intent cascade, its pure half: what we ask an LLM about an owner's
// message the rules could not read, and how its answer is checked before anything acts on it.
// The LLM is asked for JSON constrained by LlmIntentSchemaJson(); its answer is trusted no more
// than user input: every field is validated, names must be words of the owner's own message,
// and confirm/cancel are never taken from it (only the rules say "ya"). Whatever it recognises
// still becomes a draft the owner confirms, so a wrong guess posts nothing.
#include <optional>
#include <string>
#include <string_view>

#include "milkyhoop/assistant/intent.hpp"

namespace milkyhoop::assistant {

// JSON Schema (the subset OpenAI structured outputs and llama.cpp grammars both accept) of the
// answer: {"intent", "items": [{"name", "quantity", "unit_price"}], "category", "amount",
// "product", "delta", "period"}, every key present, absent values null or "" or [].
const std::string& LlmIntentSchemaJson();

// The system prompt: the intents, how Indonesian amounts and units read, and a few examples.
const std::string& LlmIntentSystemPrompt();

// What the LLM's answer to `text` says, checked.
struct LlmIntentAnswer {
  enum class Kind {
    kIntent,   // a usable parse, in `parsed`
    kUnknown,  // the LLM could not read it either ("unknown")
    kInvalid,  // not JSON of the schema, or it fails a check: a name that is not in the message,
               // a quantity or amount out of range, a period not in the list, confirm/cancel
  };
  Kind kind = Kind::kInvalid;
  // Problems (what the owner still has to say) are filled as the rules would; the language is
  // "id" (the caller knows the message's language from the rules).
  ParsedUtterance parsed;
};

// `text` is the owner's message as sent.
LlmIntentAnswer ReadLlmIntentAnswer(std::string_view answer, std::string_view text);

}  // namespace milkyhoop::assistant
