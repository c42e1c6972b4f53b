#pragma once
// A minimal OpenID provider on 127.0.0.1 for the auth service's tests: discovery, JWKS, the
// token endpoint (client_secret_basic, PKCE S256 checked) and UserInfo. Authorization is not
// interactive: Authorize() plays the user who consents, returning the code the provider would
// append to the redirect.
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/crypto/jwt_key.hpp"

namespace milkyhoop::httpclient::testing {
class TestServer;
}

namespace milkyhoop::auth::testing {

inline constexpr char kClientId[] = "milkyhoop-test-client";
inline constexpr char kClientSecret[] = "test-client-secret-value";

struct ProviderIdentity {
  std::string subject = "google-sub-1";
  std::string email = "siti@gmail.com";
  std::string name = "Siti Rahma";
  bool email_verified = true;
};

// Deviations the next token response makes, to test that each is refused.
struct ProviderQuirks {
  std::string audience;  // empty → the client id
  std::string nonce;     // empty → the nonce of the authorization request
  std::string issuer;    // empty → the provider's issuer
  bool email_only_in_userinfo = false;
  bool sign_with_unpublished_key = false;
};

class FakeOidcProvider {
 public:
  explicit FakeOidcProvider(const Clock& clock);
  ~FakeOidcProvider();

  std::string issuer() const;
  // Reads the authorization URL's query as the provider would, checks it, and returns the code.
  // Empty when the request is malformed (wrong client, no PKCE, ...).
  std::string Authorize(const std::string& authorization_url, const ProviderIdentity& identity);
  // Replaces the signing key (new kid) and the published JWKS.
  void RotateKey();

  ProviderQuirks quirks;
  std::atomic<int> jwks_fetches{0};
  std::atomic<int> token_requests{0};

 private:
  struct Grant {
    std::string redirect_uri, code_challenge, nonce;
    ProviderIdentity identity;
  };
  std::string HandleToken(const std::string& authorization, const std::string& body, int* status);

  const Clock& clock_;
  std::unique_ptr<httpclient::testing::TestServer> server_;
  std::mutex mu_;
  crypto::JwtKey key_;
  std::optional<crypto::JwtKey> unpublished_;
  std::map<std::string, Grant> grants_;
  std::map<std::string, ProviderIdentity> access_tokens_;
  int next_code_ = 0;
};

}  // namespace milkyhoop::auth::testing
