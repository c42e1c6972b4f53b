// Feedback on bot messages, and the owner's side of conversations: listing, reading, replying
// as a human, hand-off, release and close.
#include "chatbot_rows.hpp"
#include "chatbot_service_impl.hpp"
#include "milkyhoop/core/ids.hpp"
#include "outbox_events.hpp"

namespace milkyhoop::chatbot {
namespace {

constexpr int kDefaultPage = 50;
constexpr int kMaxPage = 200;
constexpr std::size_t kMaxAgentText = 4000;
constexpr std::size_t kMaxComment = 1000;

int PageSize(int limit) {
  if (limit <= 0) return kDefaultPage;
  return std::min(limit, kMaxPage);
}

}  // namespace

Result<v1::SubmitFeedbackResponse> ChatbotServiceImpl::SubmitFeedback(
    const v1::SubmitFeedbackRequest& request) {
  if (request.rating() != "up" && request.rating() != "down") {
    return InvalidField("rating", "must be \"up\" or \"down\"");
  }
  if (request.comment().size() > kMaxComment) {
    return InvalidField("comment", "at most 1000 bytes");
  }
  if (request.message_id().empty() || request.message_id().size() > 64) {
    return NotFound("message not found");
  }
  const std::int64_t now = clock_.NowUnixMillis();
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(sql::Rows rows, tx.Query("SELECT org_id, conversation_id, role FROM "
                                                 "messages WHERE id = $1",
                                                 {request.message_id()}));
    if (rows.empty()) return NotFound("message not found");
    if (!tokens_.Verify(rows.Text(0, 1), request.conversation_token())) {
      return Unauthenticated("conversation_token is missing or not this conversation's");
    }
    if (rows.Text(0, 2) != "bot") {
      return InvalidField("message_id", "feedback is for the bot's answers");
    }
    return tx
        .Exec(
            "INSERT INTO feedback (message_id, org_id, conversation_id, rating, comment, "
            "created_at_ms) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (message_id) DO "
            "UPDATE SET rating = excluded.rating, comment = excluded.comment, "
            "created_at_ms = excluded.created_at_ms",
            {request.message_id(), rows.Text(0, 0), rows.Text(0, 1), request.rating(),
             request.comment(), now})
        .status();
  }));
  return v1::SubmitFeedbackResponse();
}

Result<v1::LocateConversationResponse> ChatbotServiceImpl::LocateConversation(
    const v1::LocateConversationRequest& request) {
  if (request.conversation_id().empty() || request.conversation_id().size() > 64) {
    return NotFound("conversation not found");
  }
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      db_.Query("SELECT org_id, business_id FROM conversations WHERE id = $1",
                                {request.conversation_id()}));
  if (rows.empty()) return NotFound("conversation not found");
  v1::LocateConversationResponse out;
  out.set_org_id(rows.Text(0, 0));
  out.set_business_id(rows.Text(0, 1));
  return out;
}

Result<v1::ListConversationsResponse> ChatbotServiceImpl::ListConversations(
    const v1::ListConversationsRequest& request) {
  const std::string& status = request.status();
  if (!status.empty() && status != "open" && status != "handed_off" && status != "closed") {
    return InvalidField("status", "must be open, handed_off or closed");
  }
  if (request.from_ms() != 0 && request.to_ms() != 0 && request.from_ms() > request.to_ms()) {
    return InvalidField("from", "must not be after to");
  }
  const int limit = PageSize(request.limit());
  // Newest first: the owner looks at what just happened.
  std::string sql = std::string("SELECT ") + kConversationColumns +
                    " FROM conversations WHERE org_id = $1 AND business_id = $2 "
                    "AND ($3 = '' OR status = $3) "
                    // Typed: PostgreSQL would infer a bare $4 = 0 as a 32-bit integer.
                    "AND (CAST($4 AS BIGINT) = 0 OR created_at_ms >= CAST($4 AS BIGINT)) "
                    "AND (CAST($5 AS BIGINT) = 0 OR created_at_ms < CAST($5 AS BIGINT)) "
                    "AND ($6 = '' OR id < $6) "
                    "ORDER BY id DESC LIMIT " +
                    std::to_string(limit + 1);
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      db_.Query(sql, {request.org_id(), request.business_id(), status,
                                      request.from_ms(), request.to_ms(), request.cursor()}));
  v1::ListConversationsResponse out;
  for (std::size_t r = 0; r < rows.size() && r < static_cast<std::size_t>(limit); ++r) {
    *out.add_items() = ConversationFromRow(rows, r);
  }
  if (rows.size() > static_cast<std::size_t>(limit)) {
    out.set_next_cursor(out.items(limit - 1).id());
  }
  return out;
}

Result<v1::GetConversationResponse> ChatbotServiceImpl::GetConversation(
    const v1::GetConversationRequest& request) {
  v1::GetConversationResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(*out.mutable_conversation(),
                        LoadConversation(s, request.org_id(), request.conversation_id()));
    return Status::Ok();
  }));
  return out;
}

Result<v1::ListMessagesResponse> ChatbotServiceImpl::ListMessages(
    const v1::ListMessagesRequest& request) {
  const int limit = PageSize(request.limit());
  std::int64_t after = 0;
  if (!request.cursor().empty()) {
    try {
      after = std::stoll(request.cursor());
    } catch (...) {
      return InvalidField("cursor", "is not a cursor of this list");
    }
  }
  v1::ListMessagesResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_TRY(LoadConversation(s, request.org_id(), request.conversation_id()).status());
    MH_ASSIGN_OR_RETURN(sql::Rows rows,
                        s.Query(std::string("SELECT ") + kMessageColumns +
                                    " FROM messages m LEFT JOIN feedback f ON f.message_id = m.id "
                                    "WHERE m.conversation_id = $1 AND m.org_id = $2 AND m.seq > $3 "
                                    "ORDER BY m.seq LIMIT " +
                                    std::to_string(limit + 1),
                                {request.conversation_id(), request.org_id(), after}));
    for (std::size_t r = 0; r < rows.size() && r < static_cast<std::size_t>(limit); ++r) {
      *out.add_items() = MessageFromRow(rows, r);
    }
    if (rows.size() > static_cast<std::size_t>(limit)) {
      out.set_next_cursor(std::to_string(rows.Int(limit - 1, 15)));
    }
    return Status::Ok();
  }));
  return out;
}

Result<v1::PostAgentMessageResponse> ChatbotServiceImpl::PostAgentMessage(
    const v1::PostAgentMessageRequest& request) {
  const std::string& text = request.text();
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return InvalidField("text", "is required");
  }
  if (text.size() > kMaxAgentText) return InvalidField("text", "at most 4000 bytes");
  const std::int64_t now = clock_.NowUnixMillis();
  v1::PostAgentMessageResponse out;
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(v1::Conversation c,
                        LoadConversation(tx, request.org_id(), request.conversation_id()));
    if (c.status() == "closed") return FailedPrecondition("the conversation is closed");
    v1::Message m;
    m.set_id(NewId("msg_"));
    m.set_conversation_id(c.id());
    m.set_role("agent");
    m.set_text(text);
    m.set_author_id(request.actor_id());
    m.set_created_at_ms(now);
    MH_TRY(InsertMessage(tx, request.org_id(), c.business_id(), m));
    // A human answering means a human has the conversation: the bot must not talk over them.
    // The customer has been answered by a person, so no "connecting you" notice is due.
    MH_TRY(tx.Exec("UPDATE conversations SET status = 'handed_off', handoff_notice_sent = 1, "
                   "low_confidence_streak = 0 WHERE id = $1",
                   {c.id()})
               .status());
    *out.mutable_message() = std::move(m);
    return Status::Ok();
  }));
  return out;
}

Result<v1::ChangeConversationStatusResponse> ChatbotServiceImpl::ChangeConversationStatus(
    const v1::ChangeConversationStatusRequest& request) {
  const std::string& action = request.action();
  if (action != "handoff" && action != "release" && action != "close") {
    return InvalidField("action", "must be handoff, release or close");
  }
  const std::int64_t now = clock_.NowUnixMillis();
  v1::ChangeConversationStatusResponse out;
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(v1::Conversation c,
                        LoadConversation(tx, request.org_id(), request.conversation_id()));
    const std::string& from = c.status();
    if (action == "close") {
      MH_TRY(tx.Exec("UPDATE conversations SET status = 'closed', updated_at_ms = $2 "
                     "WHERE id = $1",
                     {c.id(), now})
                 .status());
    } else if (from == "closed") {
      return FailedPrecondition("the conversation is closed");
    } else if (action == "handoff" && from == "open") {
      MH_TRY(tx.Exec("UPDATE conversations SET status = 'handed_off', handoff_notice_sent = 0, "
                     "low_confidence_streak = 0, updated_at_ms = $2 WHERE id = $1",
                     {c.id(), now})
                 .status());
      MH_ASSIGN_OR_RETURN(c, LoadConversation(tx, request.org_id(), c.id()));
      MH_TRY(AppendHandedOff(tx, request.org_id(), c, "owner", now));
    } else if (action == "release" && from == "handed_off") {
      MH_TRY(tx.Exec("UPDATE conversations SET status = 'open', handoff_notice_sent = 0, "
                     "low_confidence_streak = 0, updated_at_ms = $2 WHERE id = $1",
                     {c.id(), now})
                 .status());
    }
    // Anything else is already in the asked state: nothing to change (idempotent).
    MH_ASSIGN_OR_RETURN(*out.mutable_conversation(),
                        LoadConversation(tx, request.org_id(), c.id()));
    return Status::Ok();
  }));
  return out;
}

}  // namespace milkyhoop::chatbot
