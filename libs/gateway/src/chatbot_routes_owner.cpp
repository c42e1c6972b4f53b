// Owner routes of the chatbot: bot settings per business, and conversations (list, read, reply
// as a human, hand-off, release, close). A conversation is located first and authorised in its
// organisation, so another organisation's conversation is 404 whatever the body holds.
#include "chatbot_routes_support.hpp"
#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/gateway/list_page.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/gateway/socket_relay.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/org/permissions.hpp"

namespace milkyhoop::gateway::chatbot_routes {
namespace {

using nlohmann::json;
namespace cv1 = chatbot::v1;

// Locates the conversation of the path and authorises `permission` in its organisation.
std::variant<BusinessAccess, http::Response> AuthorizeConversation(const Deps& deps,
                                                                   const http::Request& request,
                                                                   std::string_view permission) {
  if (!request.principal) return MissingPrincipalProblem();
  cv1::LocateConversationRequest req;
  req.set_conversation_id(request.Param("conversation_id"));
  auto where = deps.chatbot.LocateConversation(req);
  if (!where.ok()) return http::ProblemFromStatus(where.status());
  auto allowed =
      AuthorizeOrgRequest(deps.orgs, request, where->org_id(), permission, where->business_id());
  if (!allowed.ok()) return http::ProblemFromStatus(allowed.status());
  return BusinessAccess{where->org_id(), where->business_id(), request.principal->subject_id};
}

#define MH_CHAT_AUTHORIZE_CONVERSATION_OR_RETURN(deps, request, permission)                \
  auto access_ = AuthorizeConversation((deps), (request), permission);                     \
  if (auto* problem_ = std::get_if<http::Response>(&access_)) return std::move(*problem_); \
  const BusinessAccess& a = std::get<BusinessAccess>(access_)

http::Response GetBot(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kBusinessRead);
  cv1::GetBotRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  auto bot = deps.chatbot.GetBot(req);
  if (!bot.ok()) return http::ProblemFromStatus(bot.status());
  return http::JsonResponse(200, BotJson(bot->bot()));
}

std::optional<double> ReadNumber(BodyReader& in, const json& obj, std::string_view field,
                                 const std::string& name) {
  auto it = obj.find(field);
  if (it == obj.end() || it->is_null()) return std::nullopt;
  if (!it->is_number()) {
    in.Add(name, "must be a number");
    return std::nullopt;
  }
  return it->get<double>();
}

// The object member `field`, when present: an object, or a field error.
const json* Member(BodyReader& in, const json& body, std::string_view field) {
  auto it = body.find(field);
  if (it == body.end() || it->is_null()) return nullptr;
  if (!it->is_object()) {
    in.Add(std::string(field), "must be an object");
    return nullptr;
  }
  return &*it;
}

// PUT: the fields present replace the stored ones; absent fields keep their value.
http::Response PutBot(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request, org::perm::kBotManage);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  cv1::GetBotRequest get;
  get.set_org_id(a.org_id);
  get.set_business_id(a.business_id);
  auto current = deps.chatbot.GetBot(get);
  if (!current.ok()) return http::ProblemFromStatus(current.status());
  cv1::UpdateBotRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_actor_id(a.actor_id);
  cv1::BotSettings& bot = *req.mutable_bot();
  bot = current->bot();
  BodyReader in(body);
  if (Has(body, "persona")) bot.set_persona(in.OptionalString("persona").value_or(""));
  if (Has(body, "greeting")) bot.set_greeting(in.OptionalString("greeting").value_or(""));
  if (body.contains("language")) bot.set_language(in.OptionalString("language").value_or(""));
  if (Has(body, "deflection_message")) {
    bot.set_deflection_message(in.OptionalString("deflection_message").value_or(""));
  }
  if (const json* t = Member(in, body, "thresholds")) {
    if (auto v = ReadNumber(in, *t, "direct", "thresholds.direct")) {
      bot.mutable_thresholds()->set_direct(*v);
    }
    if (auto v = ReadNumber(in, *t, "grounded", "thresholds.grounded")) {
      bot.mutable_thresholds()->set_grounded(*v);
    }
    if (auto v = ReadNumber(in, *t, "deep", "thresholds.deep")) {
      bot.mutable_thresholds()->set_deep(*v);
    }
  }
  if (const json* l = Member(in, body, "llm")) {
    BodyReader inner(*l);
    auto* llm = bot.mutable_llm();
    if (l->contains("base_url")) llm->set_base_url(inner.OptionalString("base_url").value_or(""));
    if (l->contains("model")) llm->set_model(inner.OptionalString("model").value_or(""));
    if (l->contains("api_key")) req.set_llm_api_key(inner.OptionalString("api_key").value_or(""));
    if (auto v = ReadNumber(inner, *l, "temperature", "temperature")) llm->set_temperature(*v);
    if (auto v = ReadInt(inner, *l, "max_tokens", false)) {
      llm->set_max_tokens(static_cast<std::int32_t>(std::clamp<std::int64_t>(*v, -1, 1 << 20)));
    }
    if (auto v = ReadInt(inner, *l, "timeout_ms", false)) {
      llm->set_timeout_ms(static_cast<std::int32_t>(std::clamp<std::int64_t>(*v, -1, 1 << 30)));
    }
    for (const FieldError& e : inner.errors()) in.Add("llm." + e.field, e.message);
  }
  if (auto m = ReadMoney(in, body, "daily_budget", false)) *bot.mutable_daily_budget() = *m;
  if (const json* h = Member(in, body, "handoff")) {
    BodyReader inner(*h);
    if (auto v = ReadBool(inner, *h, "enabled")) bot.mutable_handoff()->set_enabled(*v);
    if (auto v = ReadInt(inner, *h, "after_low_confidence_turns", false)) {
      bot.mutable_handoff()->set_after_low_confidence_turns(
          static_cast<std::int32_t>(std::clamp<std::int64_t>(*v, -1, 1000)));
    }
    for (const FieldError& e : inner.errors()) in.Add("handoff." + e.field, e.message);
  }
  if (!in.ok()) return in.Problem();
  auto updated = deps.chatbot.UpdateBot(req);
  if (!updated.ok()) return http::ProblemFromStatus(updated.status());
  return http::JsonResponse(200, BotJson(updated->bot()));
}

http::Response ListConversations(const Deps& deps, http::Request& request) {
  MH_AUTHORIZE_BUSINESS_OR_RETURN(deps.orgs, deps.businesses, request,
                                  org::perm::kConversationsRead);
  cv1::ListConversationsRequest req;
  req.set_org_id(a.org_id);
  req.set_business_id(a.business_id);
  req.set_status(request.QueryParam("status").value_or(""));
  for (const char* name : {"from", "to"}) {
    if (auto text = request.QueryParam(name)) {
      auto ms = ParseTimestamp(*text);
      if (!ms) {
        return http::Problem(400, http::code::kInvalidArgument,
                             std::string(name) + " must be an RFC 3339 date-time",
                             {{name, "must be an RFC 3339 date-time"}});
      }
      std::string_view(name) == "from" ? req.set_from_ms(*ms) : req.set_to_ms(*ms);
    }
  }
  return ListPage(
      request, req, [&](const auto& r) { return deps.chatbot.ListConversations(r); },
      [](const auto& item) { return ConversationJson(item); });
}

http::Response GetConversation(const Deps& deps, http::Request& request) {
  MH_CHAT_AUTHORIZE_CONVERSATION_OR_RETURN(deps, request, org::perm::kConversationsRead);
  cv1::GetConversationRequest req;
  req.set_org_id(a.org_id);
  req.set_conversation_id(request.Param("conversation_id"));
  auto got = deps.chatbot.GetConversation(req);
  if (!got.ok()) return http::ProblemFromStatus(got.status());
  return http::JsonResponse(200, ConversationJson(got->conversation()));
}

http::Response ListMessages(const Deps& deps, http::Request& request) {
  MH_CHAT_AUTHORIZE_CONVERSATION_OR_RETURN(deps, request, org::perm::kConversationsRead);
  cv1::ListMessagesRequest req;
  req.set_org_id(a.org_id);
  req.set_conversation_id(request.Param("conversation_id"));
  return ListPage(
      request, req, [&](const auto& r) { return deps.chatbot.ListMessages(r); },
      [](const auto& item) { return MessageJson(item); });
}

http::Response PostMessage(const Deps& deps, http::Request& request) {
  MH_CHAT_AUTHORIZE_CONVERSATION_OR_RETURN(deps, request, org::perm::kConversationsWrite);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  cv1::PostAgentMessageRequest req;
  req.set_org_id(a.org_id);
  req.set_conversation_id(request.Param("conversation_id"));
  req.set_actor_id(a.actor_id);
  if (auto v = in.RequiredString("text")) req.set_text(*v);
  if (!in.ok()) return in.Problem();
  auto posted = deps.chatbot.PostAgentMessage(req);
  if (!posted.ok()) return http::ProblemFromStatus(posted.status());
  // Stored first, then pushed: a customer whose socket is open sees the reply at once, through
  // whichever replica holds that socket when there are several.
  const std::string& cid = posted->message().conversation_id();
  const std::string frame = AgentMessageFrame(posted->message());
  if (!deps.options.relay || !deps.options.relay->Publish(cid, frame).ok()) {
    deps.sockets->Deliver(cid, frame);
  }
  return http::JsonResponse(201, MessageJson(posted->message()));
}

http::Response ChangeStatus(const Deps& deps, http::Request& request, const char* action) {
  MH_CHAT_AUTHORIZE_CONVERSATION_OR_RETURN(deps, request, org::perm::kConversationsWrite);
  cv1::ChangeConversationStatusRequest req;
  req.set_org_id(a.org_id);
  req.set_conversation_id(request.Param("conversation_id"));
  req.set_actor_id(a.actor_id);
  req.set_action(action);
  auto changed = deps.chatbot.ChangeConversationStatus(req);
  if (!changed.ok()) return http::ProblemFromStatus(changed.status());
  return http::JsonResponse(200, ConversationJson(changed->conversation()));
}

http::Route OwnerRoute(std::string method, std::string path, std::string operation_id,
                       std::string summary, std::string_view permission) {
  return MakeOrgRoute(std::move(method), std::move(path), std::move(operation_id),
                      std::move(summary), "Chat", http::AuthPolicy::kUserOrApiKey, permission);
}

}  // namespace

Status RegisterBotOwnerRoutes(http::Router& router, const Deps& deps) {
  using Fn = http::Response (*)(const Deps&, http::Request&);
  struct Spec {
    const char* method;
    std::string path;
    const char* operation_id;
    const char* summary;
    std::string_view permission;
    std::string request_schema;
    http::ResponseDoc ok;
    Fn fn;
    std::vector<http::ParamDoc> params;
  };
  const std::string conversation = "/v1/conversations/{conversation_id}";
  std::vector<http::ParamDoc> list_params = PageParamDocs();
  list_params.push_back(
      {.name = "status",
       .schema = R"({"type": "string", "enum": ["open", "handed_off", "closed"]})",
       .description = "Only conversations in this state"});
  list_params.push_back({.name = "from",
                         .schema = R"({"type": "string", "format": "date-time"})",
                         .description = "Started at or after"});
  list_params.push_back({.name = "to",
                         .schema = R"({"type": "string", "format": "date-time"})",
                         .description = "Started before"});
  const std::vector<Spec> specs = {
      {"GET",
       "/v1/businesses/{business_id}/bot",
       "getBot",
       "The bot's settings",
       org::perm::kBusinessRead,
       "",
       {200, "The settings (the API key never)", kBotSchema},
       GetBot,
       {}},
      {"PUT",
       "/v1/businesses/{business_id}/bot",
       "putBot",
       "Change the bot's settings (fields present replace the stored ones)",
       org::perm::kBotManage,
       kBotSchema,
       {200, "The settings now", kBotSchema},
       PutBot,
       {}},
      {"GET",
       "/v1/businesses/{business_id}/conversations",
       "listConversations",
       "Customer conversations, newest first",
       org::perm::kConversationsRead,
       "",
       {200, "A page of conversations", ListSchema(kConversationSchema)},
       ListConversations,
       list_params},
      {"GET",
       conversation,
       "getConversation",
       "A conversation",
       org::perm::kConversationsRead,
       "",
       {200, "The conversation", kConversationSchema},
       GetConversation,
       {}},
      {"GET",
       conversation + "/messages",
       "listConversationMessages",
       "The messages of a conversation, oldest first",
       org::perm::kConversationsRead,
       "",
       {200, "A page of messages", ListSchema(kMessageSchema)},
       ListMessages,
       PageParamDocs()},
      {"POST",
       conversation + "/messages",
       "postAgentMessage",
       "Reply as a human (the bot stays silent in this conversation until released)",
       org::perm::kConversationsWrite,
       R"({"type": "object", "required": ["text"], "properties": {
           "text": {"type": "string", "minLength": 1, "maxLength": 4000}}})",
       {201, "The message", kMessageSchema},
       PostMessage,
       {}},
      {"POST",
       conversation + "/handoff",
       "handoffConversation",
       "Take the conversation over from the bot",
       org::perm::kConversationsWrite,
       "",
       {200, "The conversation", kConversationSchema},
       [](const Deps& d, http::Request& r) { return ChangeStatus(d, r, "handoff"); },
       {}},
      {"POST",
       conversation + "/release",
       "releaseConversation",
       "Give the conversation back to the bot",
       org::perm::kConversationsWrite,
       "",
       {200, "The conversation", kConversationSchema},
       [](const Deps& d, http::Request& r) { return ChangeStatus(d, r, "release"); },
       {}},
      {"POST",
       conversation + "/close",
       "closeConversation",
       "Close the conversation (the customer's next message starts a new one)",
       org::perm::kConversationsWrite,
       "",
       {200, "The conversation", kConversationSchema},
       [](const Deps& d, http::Request& r) { return ChangeStatus(d, r, "close"); },
       {}},
  };
  for (const Spec& s : specs) {
    http::Route r = OwnerRoute(s.method, s.path, s.operation_id, s.summary, s.permission);
    r.request_schema = s.request_schema;
    r.params = s.params;
    r.responses = {s.ok};
    const bool writes = std::string_view(s.method) != "GET";
    for (auto& d : CommonErrorDocs(!s.request_schema.empty() || !s.params.empty(), writes)) {
      r.responses.push_back(std::move(d));
    }
    if (writes && std::string_view(s.operation_id) != "putBot") {
      r.responses.push_back(ProblemDoc(409, "The conversation is closed"));
    }
    Fn fn = s.fn;
    r.handler = [deps, fn](http::Request& req) { return fn(deps, req); };
    MH_TRY(router.Add(std::move(r)));
  }
  return Status::Ok();
}

}  // namespace milkyhoop::gateway::chatbot_routes
