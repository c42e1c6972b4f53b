#pragma once
// The assistant's own rows: owner sessions (with the pending draft), the owner turn log, setup
// sessions and their turns. Every owner query is scoped by organisation and business; a session
// is found only by its owner, anyone else gets kNotFound.
#include <cstdint>
#include <string>

#include "milkyhoop/assistant/v1/assistant.pb.h"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::assistant {

struct OwnerSession {
  std::string id;
  std::string org_id;
  std::string business_id;
  std::string user_id;
  std::string pending;  // the pending draft as JSON; "" when none
  std::string last_transaction_id;
  bool is_new = false;  // not stored yet: the first save inserts it
};

struct SetupSession {
  std::string id;
  std::string user_id;
  std::string state;
  std::string data;  // the collected draft and FAQs as JSON
  std::string org_id;
  std::string business_id;
  bool is_new = false;
};

// "asn_" / "asu_" followed by a 26-character time-ordered id: the only session ids accepted.
bool IsOwnerSessionId(std::string_view id);
bool IsSetupSessionId(std::string_view id);

class SessionStore {
 public:
  explicit SessionStore(sql::Database& db) : db_(db) {}

  // A fresh session, stored by the first SaveOwnerTurn.
  OwnerSession NewOwnerSession(const std::string& org_id, const std::string& business_id,
                               const std::string& user_id) const;
  Result<OwnerSession> LoadOwnerSession(const std::string& org_id, const std::string& business_id,
                                        const std::string& user_id,
                                        const std::string& session_id) const;
  // Stores the session's state and appends the turn, in one transaction.
  Status SaveOwnerTurn(const OwnerSession& session, const v1::OwnerTurn& turn,
                       std::int64_t now_ms) const;
  Result<v1::ListOwnerTurnsResponse> ListOwnerTurns(const v1::ListOwnerTurnsRequest& request) const;

  SetupSession NewSetupSession(const std::string& user_id) const;
  Result<SetupSession> LoadSetupSession(const std::string& user_id,
                                        const std::string& session_id) const;
  // Stores the session's state; with `text` non-empty also appends the turn.
  Status SaveSetup(const SetupSession& session, const std::string& text, const std::string& reply,
                   std::int64_t now_ms) const;

 private:
  sql::Database& db_;
};

}  // namespace milkyhoop::assistant
