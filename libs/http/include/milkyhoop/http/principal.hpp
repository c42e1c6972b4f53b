#pragma once
// Who is calling: filled by the gateway's authenticator before the handler runs.
#include <cstdint>
#include <string>
#include <vector>

namespace milkyhoop::http {

struct Principal {
  enum class Kind : std::uint8_t { kUser, kApiKey };
  Kind kind = Kind::kUser;
  std::string subject_id;   // user id, or API key id
  std::string session_id;   // users: the refresh-token family
  std::string org_id;       // API keys: the organisation that owns the key
  std::string business_id;  // API keys: the one business the key is limited to, if any
  std::vector<std::string> scopes;
};

}  // namespace milkyhoop::http
