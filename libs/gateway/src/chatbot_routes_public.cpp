// Public chat routes: the business's chat profile, a customer turn (JSON or Server-Sent Events)
// and feedback. No credentials: the business is found by its slug, a conversation is continued
// only with its token.
#include <algorithm>

#include "chatbot_routes_support.hpp"
#include "milkyhoop/core/text_validation.hpp"
#include "milkyhoop/gateway/business_routes.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/event_stream.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::gateway::chatbot_routes {
namespace {

using nlohmann::json;
namespace cv1 = chatbot::v1;

http::Response PublicProfile(const Deps& deps, http::Request& request) {
  auto found = FindBySlug(deps, request.Param("slug"));
  if (auto* problem = std::get_if<http::Response>(&found)) return std::move(*problem);
  const auto& b = std::get<PublicBusiness>(found);
  business::v1::GetBusinessRequest get;
  get.set_org_id(b.org_id);
  get.set_business_id(b.business_id);
  auto biz = deps.businesses.GetBusiness(get);
  if (!biz.ok()) return http::ProblemFromStatus(biz.status());
  cv1::GetBotRequest bot_req;
  bot_req.set_org_id(b.org_id);
  bot_req.set_business_id(b.business_id);
  auto bot = deps.chatbot.GetBot(bot_req);
  if (!bot.ok()) return http::ProblemFromStatus(bot.status());
  const std::string& language =
      bot->bot().language().empty() ? biz->business().language() : bot->bot().language();
  return http::JsonResponse(200, {{"slug", biz->business().slug()},
                                  {"name", biz->business().name()},
                                  {"description", biz->business().description()},
                                  {"greeting", bot->bot().greeting()},
                                  {"language", language}});
}

bool WantsStream(const http::Request& request, const json& body) {
  auto it = body.find("stream");
  if (it != body.end() && it->is_boolean()) return it->get<bool>();
  return request.Header("Accept").find("text/event-stream") != std::string_view::npos;
}

http::Response StartEventStream(const Deps& deps, const cv1::ChatRequest& req) {
  auto slot = deps.slots->Acquire(req.business_id());
  if (!slot) {
    http::Response r = http::Problem(429, http::code::kRateLimited,
                                     "too many conversations are streaming for this business; "
                                     "retry in a moment");
    r.SetHeader("Retry-After", "1");
    return r;
  }
  auto stream = std::make_shared<http::EventStream>();
  chatbot::ChatCallbacks callbacks;
  // Each callback keeps the slot: it is given back when the turn's callbacks are gone.
  callbacks.on_meta = [stream, slot](const cv1::ChatResponse& meta) {
    stream->Send("meta", MetaJson(meta).dump());
  };
  callbacks.on_delta = [stream, slot](std::string_view text) {
    stream->Send(
        "delta",
        json({{"text", std::string(text)}}).dump(-1, ' ', false, json::error_handler_t::replace));
  };
  callbacks.on_done = [stream, slot](const cv1::ChatResponse& done) {
    stream->Send("done", DoneJson(done).dump());
    stream->Close();
  };
  auto turn = deps.chatbot.StreamChat(req, std::move(callbacks));
  if (!turn.ok()) return http::ProblemFromStatus(turn.status());
  stream->OnCancel([turn = *turn] { turn->Cancel(); });
  http::Response r = http::Response::Sse(stream);
  r.SetHeader("Cache-Control", "no-store");
  r.SetHeader("X-Accel-Buffering", "no");  // nginx: do not hold the deltas back
  return r;
}

http::Response Chat(const Deps& deps, http::Request& request) {
  auto found = FindBySlug(deps, request.Param("slug"));
  if (auto* problem = std::get_if<http::Response>(&found)) return std::move(*problem);
  const auto& b = std::get<PublicBusiness>(found);
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  cv1::ChatRequest req;
  req.set_org_id(b.org_id);
  req.set_business_id(b.business_id);
  if (auto v = in.RequiredString("message")) {
    if (CountTextCodePoints(*v, /*multiline=*/true) >
        static_cast<std::int64_t>(deps.options.max_message_chars)) {
      in.Add("message",
             "at most " + std::to_string(deps.options.max_message_chars) + " characters");
    }
    req.set_message(*v);
  }
  if (auto v = in.OptionalString("conversation_id")) req.set_conversation_id(*v);
  if (auto v = in.OptionalString("conversation_token")) req.set_conversation_token(*v);
  if (auto v = in.OptionalString("visitor_id")) req.set_visitor_id(*v);
  (void)ReadBool(in, body, "stream");
  if (!in.ok()) return in.Problem();
  if (auto limited = CheckBusinessRate(deps, b.business_id)) return std::move(*limited);
  if (WantsStream(request, body)) return StartEventStream(deps, req);
  auto answer = deps.chatbot.Chat(req);
  if (!answer.ok()) return http::ProblemFromStatus(answer.status());
  return http::JsonResponse(200, ChatResponseJson(*answer));
}

http::Response Feedback(const Deps& deps, http::Request& request) {
  json body;
  if (auto problem = http::ParseJsonBodyOrProblem(request, &body)) return std::move(*problem);
  BodyReader in(body);
  cv1::SubmitFeedbackRequest req;
  req.set_message_id(request.Param("message_id"));
  if (auto v = in.RequiredString("conversation_token")) req.set_conversation_token(*v);
  if (auto v = in.RequiredString("rating")) req.set_rating(*v);
  if (auto v = in.OptionalString("comment")) req.set_comment(*v);
  if (!in.ok()) return in.Problem();
  auto done = deps.chatbot.SubmitFeedback(req);
  if (!done.ok()) return http::ProblemFromStatus(done.status());
  return http::Response::NoContent();
}

}  // namespace

Status RegisterPublicChatRoutes(http::Router& router, const Deps& deps) {
  http::Route profile = PublicRoute("GET", "/v1/public/businesses/{slug}", "getPublicBusiness",
                                    "A business's public chat profile (no credentials)");
  profile.responses = {
      {200, "Name, description, greeting and language",
       R"({"type": "object", "required": ["name", "description", "greeting", "language"],
          "properties": {"slug": {"type": "string"}, "name": {"type": "string"},
            "description": {"type": "string"}, "greeting": {"type": "string"},
            "language": {"type": "string", "enum": ["id", "en"]}}})"},
      ProblemDoc(404, "No business has this slug"),
      ProblemDoc(429, "Over the public rate limit")};
  profile.handler = [deps](http::Request& r) { return PublicProfile(deps, r); };
  MH_TRY(router.Add(std::move(profile)));

  http::Route chat =
      PublicRoute("POST", "/v1/public/businesses/{slug}/chat", "chat",
                  "Ask the business's bot (JSON, or Server-Sent Events with stream: true or "
                  "Accept: text/event-stream)");
  chat.request_schema = R"({"type": "object", "required": ["message"], "properties": {
      "message": {"type": "string", "minLength": 1, "maxLength": 2000, "description": "At most 2,000 characters."},
      "conversation_id": {"type": "string"},
      "conversation_token": {"type": "string", "description": "Required with conversation_id."},
      "visitor_id": {"type": "string", "maxLength": 128},
      "stream": {"type": "boolean", "default": false}}})";
  chat.responses = {
      {200, "The answer", kChatResponseSchema},
      {200,
       "With streaming: events `meta` {conversation_id, conversation_token, message_id, "
       "language}, many `delta` {text} as the answer is produced, then `done` {message_id, tier, "
       "confidence, citations, handoff, fallback, cached}",
       R"({"type": "string"})", "text/event-stream"},
      ProblemDoc(400, "message missing, empty or over 2,000 characters; errors[] names it"),
      ProblemDoc(401, "conversation_id without its conversation_token, or another one's"),
      ProblemDoc(404, "No business has this slug, or no such conversation in it"),
      ProblemDoc(409,
                 "code conflict: an answer is still being written in this conversation (through "
                 "any route, socket or replica); send the next message once it is done"),
      ProblemDoc(429, "Over the public rate limit, or too many streams open for this business")};
  chat.handler = [deps](http::Request& r) { return Chat(deps, r); };
  MH_TRY(router.Add(std::move(chat)));
  MH_TRY(RegisterChatWebSocketRoute(router, deps));

  http::Route feedback = PublicRoute("POST", "/v1/public/messages/{message_id}/feedback",
                                     "chatFeedback", "Rate one of the bot's answers");
  feedback.request_schema = R"({"type": "object", "required": ["conversation_token", "rating"],
      "properties": {"conversation_token": {"type": "string"},
        "rating": {"type": "string", "enum": ["up", "down"]},
        "comment": {"type": "string", "maxLength": 1000}}})";
  feedback.responses = {{204, "Recorded (a second rating replaces the first)", ""},
                        ProblemDoc(400, "rating missing or not up/down; or not a bot message"),
                        ProblemDoc(401, "Not this conversation's token"),
                        ProblemDoc(404, "No such message"),
                        ProblemDoc(429, "Over the public rate limit")};
  feedback.handler = [deps](http::Request& r) { return Feedback(deps, r); };
  return router.Add(std::move(feedback));
}

}  // namespace milkyhoop::gateway::chatbot_routes
