#include "llm_request.hpp"

#include <nlohmann/json.hpp>

namespace milkyhoop::assistant {

std::string SchemaResponseFormat(const std::string& kind, const std::string& name,
                                 const std::string& schema_json) {
  const nlohmann::json schema = nlohmann::json::parse(schema_json);
  if (kind == "json_object")
    return nlohmann::json{{"type", "json_object"}, {"schema", schema}}.dump();
  return nlohmann::json{{"type", "json_schema"},
                        {"json_schema", {{"name", name}, {"strict", true}, {"schema", schema}}}}
      .dump();
}

llm::ChatRequest SchemaRequest(const AssistantLlmOptions& options, const std::string& system,
                               std::string_view user, const std::string& response_format,
                               int max_tokens) {
  llm::ChatRequest request;
  request.endpoint = options.endpoint;
  request.messages = {{"system", system}, {"user", std::string(user)}};
  request.temperature = 0;
  request.max_tokens = max_tokens;
  request.timeout = options.timeout;
  request.first_token_timeout = options.timeout;
  request.max_retries = 1;  // the owner is waiting: one retry on 429/5xx within the time limit
  request.response_format = response_format;
  return request;
}

}  // namespace milkyhoop::assistant
