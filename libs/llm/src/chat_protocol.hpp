#pragma once
// The JSON of OpenAI-compatible chat completions: the request body we send, and what we read
// back from a streamed chunk or a whole (non-streamed) completion.

#include <optional>
#include <string>
#include <string_view>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/llm/llm_client.hpp"

namespace milkyhoop::llm {

// {"model","messages","temperature","max_tokens","stream"} and, when streaming,
// "stream_options": {"include_usage": true} so the last chunk carries the token counts.
std::string BuildChatRequestBody(const ChatRequest& request, bool stream);

// An `{"error": ...}` object sent by the server instead of a chunk or completion.
struct UpstreamError {
  int code = 0;  // an HTTP-like code when the server gave one (e.g. 429, 500), else 0
  std::string message;
};

struct StreamChunk {
  std::string content;        // choices[0].delta.content; empty for role-only deltas
  std::string finish_reason;  // choices[0].finish_reason when set
  std::optional<Usage> usage;
  std::optional<UpstreamError> error;
};

// One `data:` payload of the stream. kInternal when it is not a JSON object.
Result<StreamChunk> ParseStreamChunk(std::string_view data);

struct Completion {
  std::string content;  // choices[0].message.content
  std::string finish_reason;
  std::optional<Usage> usage;
  std::optional<UpstreamError> error;
};

// The body of a non-streamed completion. kInternal when it is not a completion.
Result<Completion> ParseCompletion(std::string_view body);

// chars/4, rounded up: what a BPE tokenizer averages on English and Indonesian text.
int EstimateTokens(std::size_t chars);

}  // namespace milkyhoop::llm
