// The OpenAI-compatible face of the bots (API.md "POST /v1/openai/chat/completions" and
// "GET /v1/openai/models"), so any OpenAI client or SDK talks to a business's bot: `model` is
// the business's slug, the credential is an API key of that business's organisation (limited to
// that business, if the key is) holding `conversations:write`.
//
// Each call is one customer turn in a new conversation of the business: the question is the last
// `user` message, and the user and assistant messages before it are the bot's history for that
// turn (an OpenAI client keeps the conversation itself and sends it whole). `user`, when given,
// is the visitor id. The
// answer comes from the same tier router as the public chat, with its tier, confidence and
// citations in a `milkyhoop` member that OpenAI clients ignore.
#include <algorithm>
#include <chrono>
#include <iterator>

#include "chatbot_routes_support.hpp"
#include "milkyhoop/core/text_validation.hpp"
#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/event_stream.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/permissions.hpp"

namespace milkyhoop::gateway::chatbot_routes {
namespace {

using nlohmann::json;
namespace cv1 = chatbot::v1;

// A long history of messages is allowed (clients send the whole conversation), not unbounded.
constexpr std::size_t kCompletionBodyBytes = 256u << 10;
constexpr std::size_t kMaxMessages = 256;
// What is passed on as history: the chatbot service's limits (the prompt keeps what fits).
constexpr std::size_t kMaxHistoryTurns = 64;
constexpr std::size_t kMaxHistoryChars = 8000;

std::int64_t UnixSeconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Utf8Safe(std::string_view s) {
  return json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
}

// The business named by `model`, if the request's API key may use it; otherwise the problem to
// answer. Another organisation's business, or one the key is not limited to, is "not found",
// as everywhere else.
struct Target {
  std::string org_id;
  std::string business_id;
  std::string slug;
};

std::variant<Target, http::Response> ResolveModel(const Deps& deps, const http::Request& request,
                                                  const std::string& model) {
  business::v1::LocateRequest locate;
  locate.set_slug(model);
  auto where = deps.businesses.Locate(locate);
  auto not_found = [&] {
    return http::Problem(404, http::code::kNotFound,
                         "model '" + model + "' not found: use a business slug of this API key");
  };
  if (!where.ok()) {
    if (where.status().code() == StatusCode::kNotFound ||
        where.status().code() == StatusCode::kInvalidArgument) {
      return not_found();
    }
    return http::ProblemFromStatus(where.status());
  }
  auto allowed = AuthorizeOrgRequest(deps.orgs, request, where->org_id(),
                                     org::perm::kConversationsWrite, where->business_id());
  if (!allowed.ok()) {
    if (allowed.status().code() == StatusCode::kPermissionDenied &&
        request.principal->org_id == where->org_id() &&
        (request.principal->business_id.empty() ||
         request.principal->business_id == where->business_id())) {
      return http::Problem(403, http::code::kPermissionDenied,
                           "this API key lacks the scope conversations:write");
    }
    if (allowed.status().code() == StatusCode::kPermissionDenied ||
        allowed.status().code() == StatusCode::kNotFound) {
      return not_found();
    }
    return http::ProblemFromStatus(allowed.status());
  }
  return Target{where->org_id(), where->business_id(), model};
}

// The text of a message's `content`: a string, or an array of parts of which the text ones count.
std::optional<std::string> ContentText(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  if (!content.is_array()) return std::nullopt;
  std::string text;
  for (const auto& part : content) {
    if (!part.is_object()) return std::nullopt;
    auto type = part.find("type");
    if (type == part.end() || !type->is_string()) return std::nullopt;
    if (*type != "text") continue;
    auto t = part.find("text");
    if (t == part.end() || !t->is_string()) return std::nullopt;
    if (!text.empty()) text += '\n';
    text += t->get<std::string>();
  }
  return text;
}

// The question (the last user message) and the turns before it, from `messages`; records field
// errors in `in`. Earlier user and assistant messages become the bot's history (at most the last
// kMaxHistoryTurns); system, developer and tool messages are not passed on: the business's bot
// has its own instructions, and a caller's are not its.
struct Conversation {
  std::string question;
  std::vector<cv1::ConversationTurn> history;
};
std::optional<Conversation> ReadMessages(BodyReader& in, const json& body) {
  auto it = body.find("messages");
  if (it == body.end() || !it->is_array() || it->empty()) {
    in.Add("messages", "must be a non-empty array of {role, content}");
    return std::nullopt;
  }
  if (it->size() > kMaxMessages) {
    in.Add("messages", "at most " + std::to_string(kMaxMessages) + " messages");
    return std::nullopt;
  }
  std::vector<cv1::ConversationTurn> turns;
  std::optional<std::size_t> last_user;
  for (std::size_t i = 0; i < it->size(); ++i) {
    const json& m = (*it)[i];
    const std::string field = "messages[" + std::to_string(i) + "]";
    if (!m.is_object()) {
      in.Add(field, "must be an object {role, content}");
      return std::nullopt;
    }
    auto role = m.find("role");
    static constexpr std::string_view kRoles[] = {"system", "developer", "user", "assistant",
                                                  "tool"};
    if (role == m.end() || !role->is_string() ||
        std::find(std::begin(kRoles), std::end(kRoles), role->get<std::string>()) ==
            std::end(kRoles)) {
      in.Add(field + ".role", "must be one of system, developer, user, assistant, tool");
      return std::nullopt;
    }
    auto content = m.find("content");
    std::optional<std::string> text;
    if (content != m.end() && !content->is_null()) text = ContentText(*content);
    if (*role == "user" && !text) {
      in.Add(field + ".content", "must be a string or an array of text parts");
      return std::nullopt;
    }
    if (*role != "user" && *role != "assistant") continue;
    if (!text || text->find_first_not_of(" \t\r\n") == std::string::npos) continue;
    if (CountTextCodePoints(*text, /*multiline=*/true) < 0) {
      in.Add(field + ".content", "is not valid UTF-8 text");
      return std::nullopt;
    }
    cv1::ConversationTurn turn;
    turn.set_role(*role == "user" ? "customer" : "bot");
    turn.set_text(std::move(*text));
    if (*role == "user") last_user = turns.size();
    turns.push_back(std::move(turn));
  }
  if (!last_user) {
    in.Add("messages", "must hold at least one user message");
    return std::nullopt;
  }
  Conversation out;
  out.question = turns[*last_user].text();
  const std::size_t first = *last_user > kMaxHistoryTurns ? *last_user - kMaxHistoryTurns : 0;
  for (std::size_t i = first; i < *last_user; ++i) {
    // An earlier turn longer than the service takes is cut, not refused: the prompt keeps only
    // what fits its history budget anyway.
    cv1::ConversationTurn turn = turns[i];
    turn.set_text(std::string(FirstCodePoints(turn.text(), kMaxHistoryChars)));
    out.history.push_back(std::move(turn));
  }
  return out;
}

json MilkyhoopJson(const cv1::ChatResponse& r) {
  return {{"conversation_id", r.conversation_id()},
          {"message_id", r.message_id()},
          {"tier", r.tier()},
          {"confidence", r.confidence()},
          {"citations", CitationsJson(r.citations())},
          {"handoff", r.handoff()},
          {"fallback", r.fallback()}};
}

json ChunkJson(const std::string& id, std::int64_t created, const std::string& model, json delta,
               json finish_reason) {
  return {{"id", id},
          {"object", "chat.completion.chunk"},
          {"created", created},
          {"model", model},
          {"choices",
           json::array(
               {{{"index", 0}, {"delta", std::move(delta)}, {"finish_reason", finish_reason}}})}};
}

http::Response StreamCompletion(const Deps& deps, const cv1::ChatRequest& req,
                                const std::string& model) {
  auto slot = deps.slots->Acquire(req.business_id());
  if (!slot) {
    http::Response r = http::Problem(429, http::code::kRateLimited,
                                     "too many conversations are streaming for this business; "
                                     "retry in a moment");
    r.SetHeader("Retry-After", "1");
    return r;
  }
  auto stream = std::make_shared<http::EventStream>();
  const std::int64_t created = UnixSeconds();
  // The completion id is known once the turn has its message id (meta comes first).
  auto id = std::make_shared<std::string>();
  chatbot::ChatCallbacks callbacks;
  callbacks.on_meta = [stream, slot, id, created, model](const cv1::ChatResponse& meta) {
    *id = "chatcmpl-" + meta.message_id();
    stream->Send(
        "",
        ChunkJson(*id, created, model, {{"role", "assistant"}, {"content", ""}}, nullptr).dump());
  };
  callbacks.on_delta = [stream, slot, id, created, model](std::string_view text) {
    json delta = {{"content", json::parse(Utf8Safe(text))}};
    stream->Send("", ChunkJson(*id, created, model, std::move(delta), nullptr).dump());
  };
  callbacks.on_done = [stream, slot, id, created, model](const cv1::ChatResponse& done) {
    json last = ChunkJson(*id, created, model, json::object(), "stop");
    last["milkyhoop"] = MilkyhoopJson(done);
    stream->Send("", last.dump(-1, ' ', false, json::error_handler_t::replace));
    stream->Send("", "[DONE]");
    stream->Close();
  };
  auto turn = deps.chatbot.StreamChat(req, std::move(callbacks));
  if (!turn.ok()) return http::ProblemFromStatus(turn.status());
  stream->OnCancel([turn = *turn] { turn->Cancel(); });
  http::Response r = http::Response::Sse(stream);
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("X-Accel-Buffering", "no");
  return r;
}

http::Response ChatCompletions(const Deps& deps, http::Request& request) {
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  auto model = in.RequiredString("model");
  auto conversation = ReadMessages(in, body);
  std::optional<std::string> question;
  if (conversation) question = conversation->question;
  auto stream = ReadBool(in, body, "stream");
  auto user = in.OptionalString("user");
  if (user && user->size() > 128) in.Add("user", "at most 128 characters");
  if (question && question->empty()) in.Add("messages", "the last user message is empty");
  if (question) {
    const std::int64_t chars = CountTextCodePoints(*question, /*multiline=*/true);
    if (chars < 0) {
      in.Add("messages", "the last user message is not valid UTF-8 text");
    } else if (static_cast<std::size_t>(chars) > deps.options.max_message_chars) {
      in.Add("messages", "the last user message is over " +
                             std::to_string(deps.options.max_message_chars) + " characters");
    }
  }
  if (!in.ok()) return in.Problem();

  auto target = ResolveModel(deps, request, *model);
  if (auto* problem = std::get_if<http::Response>(&target)) return std::move(*problem);
  const auto& t = std::get<Target>(target);
  if (auto limited = CheckBusinessRate(deps, t.business_id)) return std::move(*limited);
  cv1::ChatRequest req;
  req.set_org_id(t.org_id);
  req.set_business_id(t.business_id);
  req.set_message(*question);
  for (cv1::ConversationTurn& turn : conversation->history) *req.add_history() = std::move(turn);
  if (user) req.set_visitor_id(*user);
  if (stream.value_or(false)) return StreamCompletion(deps, req, t.slug);

  auto answer = deps.chatbot.Chat(req);
  if (!answer.ok()) return http::ProblemFromStatus(answer.status());
  json out = {{"id", "chatcmpl-" + answer->message_id()},
              {"object", "chat.completion"},
              {"created", UnixSeconds()},
              {"model", t.slug},
              {"choices", json::array({{{"index", 0},
                                        {"message",
                                         {{"role", "assistant"},
                                          {"content", json::parse(Utf8Safe(answer->answer()))}}},
                                        {"finish_reason", "stop"}}})},
              {"milkyhoop", MilkyhoopJson(*answer)}};
  return http::JsonResponse(200, out);
}

http::Response ListModels(const Deps& deps, http::Request& request) {
  const http::Principal& key = *request.principal;
  json data = json::array();
  auto add = [&](const business::v1::Business& b) {
    data.push_back({{"id", b.slug()},
                    {"object", "model"},
                    {"created", b.created_at_ms() / 1000},
                    {"owned_by", b.org_id()}});
  };
  // One authorisation for the key: its scope and organisation decide for every business the
  // key may name (the key's own business, or all of its organisation's).
  if (!AuthorizeOrgRequest(deps.orgs, request, key.org_id, org::perm::kConversationsWrite,
                           key.business_id)
           .ok()) {
    return http::JsonResponse(200, {{"object", "list"}, {"data", std::move(data)}});
  }
  if (!key.business_id.empty()) {
    business::v1::GetBusinessRequest get;
    get.set_org_id(key.org_id);
    get.set_business_id(key.business_id);
    auto b = deps.businesses.GetBusiness(get);
    if (b.ok()) add(b->business());
  } else {
    business::v1::ListBusinessesRequest list;
    list.set_org_id(key.org_id);
    list.set_limit(200);
    do {
      auto page = deps.businesses.ListBusinesses(list);
      if (!page.ok()) return http::ProblemFromStatus(page.status());
      for (const auto& b : page->items()) add(b);
      list.set_cursor(page->next_cursor());
    } while (!list.cursor().empty());
  }
  return http::JsonResponse(200, {{"object", "list"}, {"data", std::move(data)}});
}

http::Route OpenAiRoute(std::string method, std::string path, std::string operation_id,
                        std::string summary) {
  return MakeOrgRoute(std::move(method), std::move(path), std::move(operation_id),
                      std::move(summary), "OpenAI-compatible", http::AuthPolicy::kApiKey,
                      org::perm::kConversationsWrite);
}

}  // namespace

Status RegisterOpenAiRoutes(http::Router& router, const Deps& deps) {
  http::Route completions =
      OpenAiRoute("POST", "/v1/openai/chat/completions", "openaiChatCompletions",
                  "OpenAI Chat Completions with a business's bot (model = business slug)");
  completions.max_body_bytes = kCompletionBodyBytes;
  completions.request_schema = R"({"type": "object", "required": ["model", "messages"],
      "properties": {
        "model": {"type": "string", "description": "The business's slug (see GET /v1/openai/models)."},
        "messages": {"type": "array", "minItems": 1, "maxItems": 256,
          "description": "The last user message is the question; the user and assistant messages before it are the bot's history (the last 64; system, developer and tool messages are not passed on).",
          "items": {"type": "object", "required": ["role"], "properties": {
            "role": {"type": "string", "enum": ["system", "developer", "user", "assistant", "tool"]},
            "content": {"oneOf": [{"type": "string"}, {"type": "array", "items": {"type": "object"}}, {"type": "null"}]}}}},
        "stream": {"type": "boolean", "default": false},
        "user": {"type": "string", "maxLength": 128, "description": "Visitor id of the conversation."}}})";
  completions.responses = {
      {200, "A chat.completion, with the bot's tier, confidence and citations in `milkyhoop`",
       R"({"type": "object", "required": ["id", "object", "created", "model", "choices"],
          "properties": {"id": {"type": "string"}, "object": {"const": "chat.completion"},
            "created": {"type": "integer"}, "model": {"type": "string"},
            "choices": {"type": "array", "items": {"type": "object"}},
            "milkyhoop": {"type": "object"}}})"},
      {200,
       "With stream: true, `data:` lines of chat.completion.chunk objects (the last with "
       "finish_reason \"stop\" and `milkyhoop`), then `data: [DONE]`",
       R"({"type": "string"})", "text/event-stream"},
      ProblemDoc(400,
                 "model or messages missing or malformed, no user message, or over 2,000 "
                 "characters; errors[] names the field"),
      ProblemDoc(401, "No API key (user tokens are not accepted here)"),
      ProblemDoc(403, "The key lacks conversations:write"),
      ProblemDoc(404, "No business with this slug that the key may use"),
      ProblemDoc(429, "Over the rate limit, or too many streams open for this business")};
  completions.handler = [deps](http::Request& r) { return ChatCompletions(deps, r); };
  MH_TRY(router.Add(std::move(completions)));

  http::Route models = OpenAiRoute("GET", "/v1/openai/models", "openaiListModels",
                                   "The businesses (models) this API key may chat with");
  models.responses = {{200, "An OpenAI model list; each id is a business slug",
                       R"({"type": "object", "required": ["object", "data"], "properties": {
          "object": {"const": "list"},
          "data": {"type": "array", "items": {"type": "object", "required": ["id", "object"],
            "properties": {"id": {"type": "string"}, "object": {"const": "model"},
              "created": {"type": "integer"}, "owned_by": {"type": "string"}}}}}})"},
                      ProblemDoc(401, "No API key")};
  models.handler = [deps](http::Request& r) { return ListModels(deps, r); };
  return router.Add(std::move(models));
}

}  // namespace milkyhoop::gateway::chatbot_routes
