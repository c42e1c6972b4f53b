#include "session_store.hpp"

#include <mutex>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/text_validation.hpp"

namespace milkyhoop::assistant {
namespace {

constexpr std::size_t kIdBodyChars = 26;

bool IsIdWithPrefix(std::string_view id, std::string_view prefix) {
  if (id.size() != prefix.size() + kIdBodyChars || id.substr(0, prefix.size()) != prefix) {
    return false;
  }
  for (char c : id.substr(prefix.size())) {
    const bool digit = c >= '0' && c <= '9';
    const bool upper = c >= 'A' && c <= 'Z';
    const bool lower = c >= 'a' && c <= 'z';
    if (!digit && !upper && !lower) return false;
  }
  return true;
}

// Turn ids are listed newest first by id, so two turns within one millisecond must still sort in
// the order they happened: within the process each id is above the previous one (a monotonic
// ULID: the random part of the last id plus one).
std::string NextTurnId(std::string_view prefix) {
  static constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";
  static std::mutex mutex;
  static std::string last;
  std::string id = NewId(prefix);
  std::lock_guard<std::mutex> lock(mutex);
  if (!last.empty() && id <= last && id.size() == last.size()) {
    id = last;
    for (std::size_t i = id.size(); i-- > prefix.size();) {
      const std::size_t at = kAlphabet.find(id[i]);
      if (at + 1 < kAlphabet.size()) {
        id[i] = kAlphabet[at + 1];
        break;
      }
      id[i] = kAlphabet[0];
    }
  }
  last = id;
  return id;
}

}  // namespace

bool IsOwnerSessionId(std::string_view id) { return IsIdWithPrefix(id, "asn_"); }
bool IsSetupSessionId(std::string_view id) { return IsIdWithPrefix(id, "asu_"); }

OwnerSession SessionStore::NewOwnerSession(const std::string& org_id,
                                           const std::string& business_id,
                                           const std::string& user_id) const {
  OwnerSession s;
  s.id = NewId("asn_");
  s.org_id = org_id;
  s.business_id = business_id;
  s.user_id = user_id;
  s.is_new = true;
  return s;
}

Result<OwnerSession> SessionStore::LoadOwnerSession(const std::string& org_id,
                                                    const std::string& business_id,
                                                    const std::string& user_id,
                                                    const std::string& session_id) const {
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      db_.Query("SELECT pending, last_transaction_id FROM owner_sessions WHERE id = $1 AND "
                "org_id = $2 AND business_id = $3 AND user_id = $4",
                {session_id, org_id, business_id, user_id}));
  if (rows.empty()) return NotFound("assistant session not found");
  OwnerSession s;
  s.id = session_id;
  s.org_id = org_id;
  s.business_id = business_id;
  s.user_id = user_id;
  s.pending = rows.Text(0, 0);
  s.last_transaction_id = rows.Text(0, 1);
  return s;
}

Status SessionStore::SaveOwnerTurn(const OwnerSession& session, const v1::OwnerTurn& turn,
                                   std::int64_t now_ms) const {
  return db_.Transaction([&](sql::Session& tx) -> Status {
    if (session.is_new) {
      MH_TRY(tx.Exec("INSERT INTO owner_sessions (id, org_id, business_id, user_id, pending, "
                     "last_transaction_id, created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, "
                     "$5, $6, $7, $7)",
                     {session.id, session.org_id, session.business_id, session.user_id,
                      session.pending, session.last_transaction_id, now_ms})
                 .status());
    } else {
      MH_TRY(tx.Exec("UPDATE owner_sessions SET pending = $1, last_transaction_id = $2, "
                     "updated_at_ms = $3 WHERE id = $4 AND org_id = $5 AND business_id = $6",
                     {session.pending, session.last_transaction_id, now_ms, session.id,
                      session.org_id, session.business_id})
                 .status());
    }
    return tx
        .Exec(
            "INSERT INTO owner_turns (id, session_id, org_id, business_id, user_id, text, "
            "intent, entities, action_type, action_data, reply, parsed_by, created_at_ms) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            {NextTurnId("atn_"), session.id, session.org_id, session.business_id, session.user_id,
             turn.text(), turn.intent(), turn.entities_json(), turn.action().type(),
             turn.action().data_json(), turn.reply(),
             turn.parsed_by().empty() ? std::string("rules") : turn.parsed_by(), now_ms})
        .status();
  });
}

Result<v1::ListOwnerTurnsResponse> SessionStore::ListOwnerTurns(
    const v1::ListOwnerTurnsRequest& request) const {
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  // Newest first: the cursor is the last id of the previous page, and ids are time-ordered.
  std::string sql =
      "SELECT id, session_id, user_id, text, intent, entities, action_type, action_data, reply, "
      "created_at_ms, parsed_by FROM owner_turns WHERE org_id = $1 AND business_id = $2";
  std::vector<sql::Value> params = {request.org_id(), request.business_id()};
  if (!request.session_id().empty()) {
    params.emplace_back(request.session_id());
    sql += " AND session_id = $" + std::to_string(params.size());
  }
  if (!request.cursor().empty()) {
    params.emplace_back(request.cursor());
    sql += " AND id < $" + std::to_string(params.size());
  }
  params.emplace_back(std::int64_t{limit} + 1);
  sql += " ORDER BY id DESC LIMIT $" + std::to_string(params.size());
  sql::Rows rows;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(rows, s.Query(sql, params));
    return Status::Ok();
  }));
  v1::ListOwnerTurnsResponse out;
  for (std::size_t r = 0; r < rows.size() && r < static_cast<std::size_t>(limit); ++r) {
    v1::OwnerTurn* t = out.add_items();
    t->set_id(rows.Text(r, 0));
    t->set_session_id(rows.Text(r, 1));
    t->set_user_id(rows.Text(r, 2));
    t->set_text(rows.Text(r, 3));
    t->set_intent(rows.Text(r, 4));
    t->set_entities_json(rows.Text(r, 5));
    if (!rows.Text(r, 6).empty()) {
      t->mutable_action()->set_type(rows.Text(r, 6));
      t->mutable_action()->set_data_json(rows.Text(r, 7));
    }
    t->set_reply(rows.Text(r, 8));
    t->set_created_at_ms(rows.Int(r, 9));
    t->set_parsed_by(rows.Text(r, 10));
  }
  if (rows.size() > static_cast<std::size_t>(limit)) {
    out.set_next_cursor(out.items(out.items_size() - 1).id());
  }
  return out;
}

SetupSession SessionStore::NewSetupSession(const std::string& user_id) const {
  SetupSession s;
  s.id = NewId("asu_");
  s.user_id = user_id;
  s.state = "welcome";
  s.data = "{}";
  s.is_new = true;
  return s;
}

Result<SetupSession> SessionStore::LoadSetupSession(const std::string& user_id,
                                                    const std::string& session_id) const {
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      db_.Query("SELECT state, data, org_id, business_id FROM setup_sessions "
                                "WHERE id = $1 AND user_id = $2",
                                {session_id, user_id}));
  if (rows.empty()) return NotFound("setup session not found");
  SetupSession s;
  s.id = session_id;
  s.user_id = user_id;
  s.state = rows.Text(0, 0);
  s.data = rows.Text(0, 1);
  s.org_id = rows.Text(0, 2);
  s.business_id = rows.Text(0, 3);
  return s;
}

Status SessionStore::SaveSetup(const SetupSession& session, const std::string& text,
                               const std::string& reply, std::int64_t now_ms) const {
  return db_.Transaction([&](sql::Session& tx) -> Status {
    // An upsert both dialects run: insert when new, else update.
    MH_ASSIGN_OR_RETURN(
        const std::int64_t updated,
        tx.Exec("UPDATE setup_sessions SET state = $1, data = $2, org_id = $3, business_id = $4, "
                "updated_at_ms = $5 WHERE id = $6 AND user_id = $7",
                {session.state, session.data, session.org_id, session.business_id, now_ms,
                 session.id, session.user_id}));
    if (updated == 0) {
      MH_TRY(tx.Exec("INSERT INTO setup_sessions (id, user_id, state, data, org_id, "
                     "business_id, created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, "
                     "$7, $7)",
                     {session.id, session.user_id, session.state, session.data, session.org_id,
                      session.business_id, now_ms})
                 .status());
    }
    if (text.empty()) return Status::Ok();
    return tx
        .Exec(
            "INSERT INTO setup_turns (id, session_id, user_id, text, state, reply, "
            "created_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)",
            {NewId("ast_"), session.id, session.user_id, text, session.state, reply, now_ms})
        .status();
  });
}

}  // namespace milkyhoop::assistant
