// GET /v1/public/businesses/{slug}/ws: the public chat over a WebSocket. The customer sends
// {"type": "message", "text", "conversation_id"?, "conversation_token"?, "visitor_id"?}; the
// server answers each with the frames of the SSE route ({"type": "meta"|"delta"|"done", ...}),
// pushes {"type": "agent_message", ...} when the owner replies in the conversation, and answers
// a message it cannot take with {"type": "error", "problem": <RFC 9457 problem>} without closing
// the socket. After its first turn a socket continues its conversation without resending the
// id and token.
#include <memory>
#include <mutex>
#include <string>

#include "chatbot_routes_support.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/core/text_validation.hpp"
#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/json.hpp"
#include "milkyhoop/http/problem.hpp"
#include "milkyhoop/http/websocket.hpp"

namespace milkyhoop::gateway::chatbot_routes {
namespace {

using nlohmann::json;
namespace cv1 = chatbot::v1;

std::string Frame(const json& j) {
  // Text from documents may hold invalid UTF-8; it is replaced rather than failing the frame.
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ErrorFrame(const http::Response& problem) {
  json body = json::parse(problem.body, nullptr, /*allow_exceptions=*/false);
  json frame = {{"type", "error"}, {"problem", body.is_discarded() ? json::object() : body}};
  for (const auto& [name, value] : problem.headers) {
    if (name == "Retry-After") frame["retry_after"] = std::stoi(value);
  }
  return Frame(frame);
}

// One customer's socket: the conversation it follows and the turn in flight.
class ChatSocket : public std::enable_shared_from_this<ChatSocket> {
 public:
  ChatSocket(Deps deps, PublicBusiness business, std::string remote_ip,
             std::shared_ptr<http::WebSocketChannel> channel)
      : deps_(std::move(deps)),
        business_(std::move(business)),
        remote_ip_(std::move(remote_ip)),
        channel_(channel) {}

  void OnMessage(std::string_view text) {
    cv1::ChatRequest req;
    if (auto problem = Parse(text, req)) return Send(ErrorFrame(*problem));
    if (auto limited = CheckRates()) return Send(ErrorFrame(*limited));
    auto slot = deps_.slots->Acquire(business_.business_id);
    if (!slot) {
      http::Response r = http::Problem(429, http::code::kRateLimited,
                                       "too many conversations are streaming for this business; "
                                       "retry in a moment");
      r.SetHeader("Retry-After", "1");
      return Send(ErrorFrame(r));
    }
    std::uint64_t turn_id = 0;
    {
      std::lock_guard lock(mu_);
      if (in_turn_) {
        return Send(ErrorFrame(http::Problem(409, http::code::kConflict,
                                             "wait for the answer in progress before sending "
                                             "the next message")));
      }
      in_turn_ = true;
      turn_id = ++turns_;
    }
    auto turn = deps_.chatbot.StreamChat(req, Callbacks(std::move(slot), turn_id));
    if (!turn.ok()) {
      {
        std::lock_guard lock(mu_);
        in_turn_ = false;
      }
      return Send(ErrorFrame(http::ProblemFromStatus(turn.status())));
    }
    bool cancel = false;
    {
      std::lock_guard lock(mu_);
      // A remote service answers before StreamChat returns: then the turn is already over.
      if (in_turn_ && turns_ == turn_id) turn_ = *turn;
      cancel = closed_;  // the socket closed while the turn was starting
    }
    // Outside the lock: Cancel may run on_done at once, which takes it.
    if (cancel) (*turn)->Cancel();
  }

  // The socket has ended: stop the answer being written to nobody.
  void OnClosed(const http::WebSocketChannel* channel) {
    std::shared_ptr<chatbot::ChatTurn> turn;
    {
      std::lock_guard lock(mu_);
      closed_ = true;  // first: a late `meta` must not register the socket again
      turn = turn_;
    }
    deps_.sockets->Forget(channel);
    if (turn) turn->Cancel();
  }

 private:
  // The chat request of a client message, or the problem with it.
  std::optional<http::Response> Parse(std::string_view text, cv1::ChatRequest& req) {
    json body = json::parse(text, nullptr, /*allow_exceptions=*/false);
    if (body.is_discarded() || !body.is_object()) {
      return http::Problem(400, http::code::kInvalidArgument, "a message must be a JSON object");
    }
    BodyReader in(body);
    if (auto type = in.RequiredString("type"); type && *type != "message") {
      in.Add("type", "must be \"message\"");
    }
    if (auto v = in.RequiredString("text")) {
      if (v->find_first_not_of(" \t\r\n") == std::string::npos) {
        in.Add("text", "is required");
      } else if (CountTextCodePoints(*v, /*multiline=*/true) >
                 static_cast<std::int64_t>(deps_.options.max_message_chars)) {
        in.Add("text",
               "at most " + std::to_string(deps_.options.max_message_chars) + " characters");
      }
      req.set_message(*v);
    }
    auto conversation_id = in.OptionalString("conversation_id");
    auto conversation_token = in.OptionalString("conversation_token");
    if (auto v = in.OptionalString("visitor_id")) req.set_visitor_id(*v);
    if (!in.ok()) return in.Problem();
    req.set_org_id(business_.org_id);
    req.set_business_id(business_.business_id);
    std::lock_guard lock(mu_);
    if (conversation_id && !conversation_id->empty()) {
      req.set_conversation_id(*conversation_id);
      req.set_conversation_token(conversation_token.value_or(""));
    } else {
      req.set_conversation_id(conversation_id_);
      req.set_conversation_token(conversation_token_);
    }
    return std::nullopt;
  }

  // The public chat limits of the HTTP route, per message: a socket is no way around them.
  std::optional<http::Response> CheckRates() {
    if (deps_.options.limiter) {
      RateDecision d =
          deps_.options.limiter->Check("chat|ip|" + remote_ip_, deps_.options.per_visitor);
      if (!d.allowed) {
        http::Response r = http::Problem(
            429, http::code::kRateLimited,
            "rate limit exceeded; retry in " + std::to_string(d.retry_after_seconds) + " s");
        r.SetHeader("Retry-After",
                    std::to_string(std::max<std::int64_t>(1, d.retry_after_seconds)));
        return r;
      }
    }
    return CheckBusinessRate(deps_, business_.business_id);
  }

  chatbot::ChatCallbacks Callbacks(std::shared_ptr<StreamSlots::Slot> slot, std::uint64_t id) {
    auto self = shared_from_this();
    chatbot::ChatCallbacks callbacks;
    // Each callback keeps the slot: it is given back when the turn's callbacks are gone.
    callbacks.on_meta = [self, slot](const cv1::ChatResponse& meta) {
      {
        std::lock_guard lock(self->mu_);
        self->conversation_id_ = meta.conversation_id();
        self->conversation_token_ = meta.conversation_token();
        auto channel = self->channel_.lock();
        if (channel && !self->closed_) self->deps_.sockets->Follow(meta.conversation_id(), channel);
      }
      json frame = MetaJson(meta);
      frame["type"] = "meta";
      self->Send(Frame(frame));
    };
    callbacks.on_delta = [self, slot](std::string_view text) {
      self->Send(Frame({{"type", "delta"}, {"text", std::string(text)}}));
    };
    callbacks.on_done = [self, slot, id](const cv1::ChatResponse& done) {
      {
        // Before the frame goes out: a client may send its next message the moment it has it.
        std::lock_guard lock(self->mu_);
        if (self->turns_ == id) {
          self->in_turn_ = false;
          self->turn_.reset();
        }
      }
      json frame = DoneJson(done);
      frame["type"] = "done";
      self->Send(Frame(frame));
    };
    return callbacks;
  }

  void Send(std::string frame) {
    if (auto channel = channel_.lock()) channel->Send(std::move(frame));
  }

  const Deps deps_;
  const PublicBusiness business_;
  const std::string remote_ip_;
  const std::weak_ptr<http::WebSocketChannel> channel_;
  std::mutex mu_;
  std::string conversation_id_;
  std::string conversation_token_;
  bool in_turn_ = false;
  bool closed_ = false;
  std::uint64_t turns_ = 0;
  std::shared_ptr<chatbot::ChatTurn> turn_;
};

http::Response Open(const Deps& deps, http::Request& request) {
  auto found = FindBySlug(deps, request.Param("slug"));
  if (auto* problem = std::get_if<http::Response>(&found)) return std::move(*problem);
  auto session = std::make_shared<http::WebSocketSession>();
  session->max_message_bytes = kChatBodyBytes;
  auto socket = std::make_shared<ChatSocket>(deps, std::get<PublicBusiness>(found),
                                             request.remote_ip, session->channel);
  const http::WebSocketChannel* channel = session->channel.get();
  session->channel->OnClose([socket, channel] { socket->OnClosed(channel); });
  session->on_message = [socket](std::string_view text) { socket->OnMessage(text); };
  // Not an upgrade → the server answers 426.
  return http::Response::WebSocket(std::move(session));
}

}  // namespace

std::string AgentMessageFrame(const cv1::Message& m) {
  return Frame({{"type", "agent_message"},
                {"message_id", m.id()},
                {"conversation_id", m.conversation_id()},
                {"text", m.text()},
                {"created_at", FormatTimestamp(m.created_at_ms())}});
}

Status RegisterChatWebSocketRoute(http::Router& router, const Deps& deps) {
  http::Route ws = PublicRoute(
      "GET", "/v1/public/businesses/{slug}/ws", "chatWebSocket",
      "Chat with the business's bot over a WebSocket; the owner's replies arrive on it");
  ws.description =
      "Upgrade to a WebSocket (RFC 6455), then send text frames "
      "`{\"type\": \"message\", \"text\", \"conversation_id\"?, \"conversation_token\"?, "
      "\"visitor_id\"?}` (at most 16 KiB; text at most 2,000 characters). Each message is "
      "answered by the frames `{\"type\": \"meta\", conversation_id, conversation_token, "
      "message_id, language}`, many `{\"type\": \"delta\", text}` and `{\"type\": \"done\", "
      "message_id, tier, confidence, citations, handoff, fallback, cached}`. After the first "
      "turn the socket continues its conversation by itself. When the owner replies, "
      "`{\"type\": \"agent_message\", message_id, conversation_id, text, created_at}` arrives. "
      "A message that cannot be taken (invalid, over a rate limit, sent while an answer is "
      "still streaming, another conversation's token) is answered by `{\"type\": \"error\", "
      "problem, retry_after?}` and the socket stays open; binary frames close it.";
  ws.responses = {{101, "Switching Protocols: the WebSocket is open", ""},
                  ProblemDoc(404, "No business has this slug"),
                  ProblemDoc(426, "Not a WebSocket upgrade request"),
                  ProblemDoc(429, "Over the public rate limit")};
  ws.handler = [deps](http::Request& r) { return Open(deps, r); };
  return router.Add(std::move(ws));
}

}  // namespace milkyhoop::gateway::chatbot_routes
