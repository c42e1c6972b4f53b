#include "chat_protocol.hpp"

#include <nlohmann/json.hpp>

namespace milkyhoop::llm {
namespace {

using nlohmann::json;

int IntField(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_number_integer()) return 0;
  const auto value = it->get<long long>();
  return value < 0 || value > 1'000'000'000 ? 0 : static_cast<int>(value);
}

std::optional<Usage> ReadUsage(const json& root) {
  auto it = root.find("usage");
  if (it == root.end() || !it->is_object()) return std::nullopt;
  return Usage{IntField(*it, "prompt_tokens"), IntField(*it, "completion_tokens")};
}

std::string StringField(const json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::optional<UpstreamError> ReadError(const json& root) {
  auto it = root.find("error");
  if (it == root.end() || it->is_null()) return std::nullopt;
  UpstreamError error;
  if (it->is_string()) {
    error.message = it->get<std::string>();
  } else if (it->is_object()) {
    error.message = StringField(*it, "message");
    auto code = it->find("code");
    if (code != it->end() && code->is_number_integer()) error.code = code->get<int>();
    if (code != it->end() && code->is_string()) {
      // OpenAI sends symbolic codes ("rate_limit_exceeded"); the type says as much.
      const std::string text = code->get<std::string>();
      if (text.find("rate_limit") != std::string::npos) error.code = 429;
    }
    if (error.code == 0 && StringField(*it, "type").find("server_error") != std::string::npos) {
      error.code = 500;
    }
  }
  if (error.message.empty()) error.message = "upstream reported an error";
  return error;
}

const json* FirstChoice(const json& root) {
  auto it = root.find("choices");
  if (it == root.end() || !it->is_array() || it->empty() || !(*it)[0].is_object()) {
    return nullptr;
  }
  return &(*it)[0];
}

}  // namespace

std::string BuildChatRequestBody(const ChatRequest& request, bool stream) {
  json messages = json::array();
  for (const auto& m : request.messages) {
    messages.push_back({{"role", m.role}, {"content", m.content}});
  }
  json body = {{"model", request.endpoint.model},
               {"messages", std::move(messages)},
               {"temperature", request.temperature},
               {"max_tokens", request.max_tokens},
               {"stream", stream}};
  if (stream) body["stream_options"] = {{"include_usage", true}};
  if (!request.response_format.empty()) {
    json format = json::parse(request.response_format, nullptr, /*allow_exceptions=*/false);
    if (format.is_object()) body["response_format"] = std::move(format);
  }
  // Invalid UTF-8 from a customer must not make dump() throw: replace it.
  return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<StreamChunk> ParseStreamChunk(std::string_view data) {
  json root = json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return Internal("malformed chunk in the LLM stream (not a JSON object)");
  }
  StreamChunk chunk;
  chunk.error = ReadError(root);
  chunk.usage = ReadUsage(root);
  if (const json* choice = FirstChoice(root)) {
    chunk.finish_reason = StringField(*choice, "finish_reason");
    auto delta = choice->find("delta");
    if (delta != choice->end() && delta->is_object()) {
      chunk.content = StringField(*delta, "content");
    }
  }
  return chunk;
}

Result<Completion> ParseCompletion(std::string_view body) {
  json root = json::parse(body, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) {
    return Internal("malformed LLM completion (not a JSON object)");
  }
  Completion completion;
  completion.error = ReadError(root);
  if (completion.error) return completion;
  const json* choice = FirstChoice(root);
  if (!choice) return Internal("LLM completion without choices");
  completion.finish_reason = StringField(*choice, "finish_reason");
  auto message = choice->find("message");
  if (message == choice->end() || !message->is_object()) {
    return Internal("LLM completion without a message");
  }
  completion.content = StringField(*message, "content");
  completion.usage = ReadUsage(root);
  return completion;
}

int EstimateTokens(std::size_t chars) { return static_cast<int>((chars + 3) / 4); }

}  // namespace milkyhoop::llm
