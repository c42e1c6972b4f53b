#pragma once
// The owner assistant service: chat bookkeeping for a business's owner (owner mode) and setting
// a business up by chat (setup mode). Callers hold an AssistantService&; the composition root
// decides whether it is the implementation (assistant_factory.hpp) or a gRPC client
// (assistant_grpc.hpp).
//
// Authorisation is the caller's job (the gateway asks OrgService::Authorize for assistant:use
// first); the service enforces ownership: an owner session belongs to one (organisation,
// business, user), a setup session to one user, and anyone else finds it kNotFound.
//
// Error codes, as the gateway maps them:
//   kInvalidArgument (400)  the message is empty, not UTF-8 text, or over 2,000 characters; a
//                           session id is malformed (field_errors() names the field)
//   kNotFound (404)         no such session for this caller (or its business is gone)
//   kUnavailable (503)      a service it depends on is unavailable
// A message the assistant does not understand is not an error: it is answered with help.

#include "milkyhoop/assistant/v1/assistant.pb.h"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::assistant {

// Longest message, in characters (code points), either mode.
inline constexpr std::size_t kMaxMessageChars = 2000;
// How long a drafted transaction waits for "ya".
inline constexpr std::int64_t kDraftTtlMs = 30 * 60 * 1000;

class AssistantService {
 public:
  virtual ~AssistantService();

  // One owner turn: parse, act (draft, post on "ya", answer a query or report), store the turn.
  virtual Result<v1::OwnerChatResponse> OwnerChat(const v1::OwnerChatRequest& request) = 0;
  // The stored turns of a business (optionally one session), newest first.
  virtual Result<v1::ListOwnerTurnsResponse> ListOwnerTurns(
      const v1::ListOwnerTurnsRequest& request) = 0;
  // One setup turn; at "done" it creates the organisation, business, products and FAQs.
  virtual Result<v1::SetupChatResponse> SetupChat(const v1::SetupChatRequest& request) = 0;
};

}  // namespace milkyhoop::assistant
