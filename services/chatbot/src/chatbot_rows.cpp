#include "chatbot_rows.hpp"

#include <nlohmann/json.hpp>

namespace milkyhoop::chatbot {

v1::Conversation ConversationFromRow(const sql::Rows& rows, std::size_t r) {
  v1::Conversation c;
  c.set_id(rows.Text(r, 0));
  c.set_business_id(rows.Text(r, 1));
  c.set_visitor_id(rows.Text(r, 2));
  c.set_status(rows.Text(r, 3));
  c.set_low_confidence_streak(static_cast<std::int32_t>(rows.Int(r, 4)));
  c.set_message_count(static_cast<std::int32_t>(rows.Int(r, 5)));
  c.set_created_at_ms(rows.Int(r, 6));
  c.set_updated_at_ms(rows.Int(r, 7));
  return c;
}

v1::Message MessageFromRow(const sql::Rows& rows, std::size_t r) {
  v1::Message m;
  m.set_id(rows.Text(r, 0));
  m.set_conversation_id(rows.Text(r, 1));
  m.set_role(rows.Text(r, 2));
  m.set_text(rows.Text(r, 3));
  m.set_tier(static_cast<std::int32_t>(rows.Int(r, 4)));
  m.set_confidence(rows.Real(r, 5));
  for (auto& c : CitationsFromJson(rows.Text(r, 6))) *m.add_citations() = std::move(c);
  m.set_prompt_tokens(static_cast<std::int32_t>(rows.Int(r, 7)));
  m.set_completion_tokens(static_cast<std::int32_t>(rows.Int(r, 8)));
  m.set_latency_ms(rows.Int(r, 9));
  m.set_fallback(rows.Int(r, 10) != 0);
  m.set_cached(rows.Int(r, 11) != 0);
  m.set_author_id(rows.Text(r, 12));
  m.set_created_at_ms(rows.Int(r, 13));
  m.set_feedback(rows.Text(r, 14));
  return m;
}

std::string CitationsToJson(const google::protobuf::RepeatedPtrField<v1::Citation>& citations) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : citations) {
    out.push_back({{"source_type", c.source_type()},
                   {"source_id", c.source_id()},
                   {"title", c.title()},
                   {"snippet", c.snippet()}});
  }
  // Replace invalid UTF-8 rather than throw: snippets come from user documents.
  return out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::vector<v1::Citation> CitationsFromJson(std::string_view json) {
  std::vector<v1::Citation> out;
  nlohmann::json parsed = nlohmann::json::parse(json, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (!item.is_object()) continue;
    v1::Citation c;
    c.set_source_type(item.value("source_type", ""));
    c.set_source_id(item.value("source_id", ""));
    c.set_title(item.value("title", ""));
    c.set_snippet(item.value("snippet", ""));
    out.push_back(std::move(c));
  }
  return out;
}

Status InsertMessage(sql::Session& tx, std::string_view org_id, std::string_view business_id,
                     const v1::Message& m) {
  MH_TRY(tx.Exec("UPDATE conversations SET message_count = message_count + 1, updated_at_ms = $2 "
                 "WHERE id = $1",
                 {m.conversation_id(), m.created_at_ms()})
             .status());
  MH_ASSIGN_OR_RETURN(sql::Rows count, tx.Query("SELECT message_count FROM conversations "
                                                "WHERE id = $1",
                                                {m.conversation_id()}));
  if (count.empty()) return NotFound("conversation not found");
  return tx
      .Exec(
          "INSERT INTO messages (id, org_id, business_id, conversation_id, seq, role, text, "
          "tier, confidence, citations, prompt_tokens, completion_tokens, latency_ms, "
          "fallback, cached, author_id, created_at_ms) VALUES ($1, $2, $3, $4, $17, $5, $6, "
          "$7, $8, $9, $10, $11, $12, $13, $14, $15, $16)",
          {m.id(), std::string(org_id), std::string(business_id), m.conversation_id(), m.role(),
           m.text(), std::int64_t{m.tier()}, m.confidence(), CitationsToJson(m.citations()),
           std::int64_t{m.prompt_tokens()}, std::int64_t{m.completion_tokens()}, m.latency_ms(),
           std::int64_t{m.fallback() ? 1 : 0}, std::int64_t{m.cached() ? 1 : 0}, m.author_id(),
           m.created_at_ms(), count.Int(0, 0)})
      .status();
}

}  // namespace milkyhoop::chatbot
