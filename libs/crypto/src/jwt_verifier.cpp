#include "milkyhoop/crypto/jwt_verifier.hpp"

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <unordered_set>
#include <utility>

#include "jwt_key_impl.hpp"
#include "jwt_signature.hpp"
#include "jwt_token.hpp"

namespace milkyhoop::crypto {
namespace {

using KeyMap = std::map<std::string, JwtKey, std::less<>>;

Status Reject(std::string message) { return Unauthenticated(std::move(message)); }

// "none" in any letter case: some libraries compared case-insensitively and were bypassed.
bool IsNone(std::string_view alg) {
  if (alg.size() != 4) return false;
  for (std::size_t i = 0; i < 4; ++i) {
    if ((alg[i] | 0x20) != "none"[i]) return false;
  }
  return true;
}

Result<std::shared_ptr<const KeyMap>> BuildKeyMap(const std::vector<JwtKey>& keys) {
  auto map = std::make_shared<KeyMap>();
  for (const JwtKey& key : keys) {
    if (!map->emplace(key.kid(), key.PublicKey()).second) {
      return InvalidArgument("duplicate kid '" + internal::Printable(key.kid()) + "'");
    }
  }
  return std::shared_ptr<const KeyMap>(std::move(map));
}

}  // namespace

// Tokens whose signature verified under one generation of the key set. A client sends the
// same access token with every request until it expires, and checking an Ed25519 or RSA
// signature costs far more than the rest of authenticating it; the claims (expiry above all)
// are still checked on every use. Any change of the keys starts a new generation, so a removed
// key's tokens stop verifying at once.
class VerifiedSignatures {
 public:
  bool Contains(std::uint64_t generation, std::string_view token) {
    std::lock_guard lock(mu_);
    Sync(generation);
    return tokens_.contains(std::string(token));
  }
  void Add(std::uint64_t generation, std::string_view token) {
    std::lock_guard lock(mu_);
    Sync(generation);
    if (tokens_.size() >= kMaxTokens) tokens_.clear();  // bounded memory; rebuilt by use
    tokens_.emplace(token);
  }

 private:
  static constexpr std::size_t kMaxTokens = 4096;
  void Sync(std::uint64_t generation) {
    if (generation != generation_) {
      tokens_.clear();
      generation_ = generation;
    }
  }
  std::mutex mu_;
  std::uint64_t generation_ = 0;
  std::unordered_set<std::string> tokens_;
};

struct JwtVerifier::State {
  State(const Clock& c, JwtVerifierOptions o) : clock(c), options(std::move(o)) {}

  struct Keys {
    std::shared_ptr<const KeyMap> map;
    std::uint64_t generation;
  };
  Keys Snapshot() const {
    std::lock_guard lock(mu);
    return {keys, generation};
  }
  void Replace(std::shared_ptr<const KeyMap> next) {  // with mu held
    keys = std::move(next);
    ++generation;
  }

  const Clock& clock;
  const JwtVerifierOptions options;
  mutable std::mutex mu;
  // Copy-on-write: Verify takes a snapshot under the lock and works outside it, so a key
  // refresh never waits for verifications nor they for it.
  std::shared_ptr<const KeyMap> keys = std::make_shared<KeyMap>();  // guarded by mu
  std::uint64_t generation = 0;                                     // guarded by mu
  mutable VerifiedSignatures verified;
};

Result<JwtVerifier> JwtVerifier::Create(const Clock& clock, JwtVerifierOptions options,
                                        std::vector<JwtKey> keys) {
  if (options.issuer.empty()) return InvalidField("issuer", "is required");
  if (options.audience.empty()) return InvalidField("audience", "is required");
  if (options.clock_skew < std::chrono::seconds(0) || options.clock_skew > kMaxClockSkew) {
    return InvalidField("clock_skew", "must be 0 to 300 seconds");
  }
  if (options.max_token_bytes == 0) return InvalidField("max_token_bytes", "must be positive");
  JwtVerifier verifier(std::make_shared<State>(clock, std::move(options)));
  MH_TRY(verifier.SetKeys(keys));
  return verifier;
}

Result<VerifiedJwt> JwtVerifier::Verify(std::string_view token) const {
  const JwtVerifierOptions& options = state_->options;
  MH_ASSIGN_OR_RETURN(internal::JwtParts parts, internal::SplitJwt(token, options.max_token_bytes));

  const auto alg_it = parts.header.find("alg");
  if (alg_it == parts.header.end() || !alg_it->is_string()) {
    return Reject("token header has no alg");
  }
  const std::string& alg_name = alg_it->get_ref<const std::string&>();
  if (IsNone(alg_name)) {
    return Reject("token algorithm 'none' is not accepted");
  }
  const std::optional<JwtAlgorithm> alg = ParseJwtAlgorithm(alg_name);
  if (!alg)
    return Reject("token algorithm '" + internal::Printable(alg_name) + "' is not supported");
  // RFC 7515 4.1.11: extensions we do not understand must not be ignored; we understand none.
  if (parts.header.contains("crit")) return Reject("token header has unsupported 'crit'");

  const auto kid_it = parts.header.find("kid");
  if (kid_it == parts.header.end() || !kid_it->is_string()) {
    return Reject("token header has no kid");
  }
  const std::string& kid = kid_it->get_ref<const std::string&>();
  const State::Keys snapshot = state_->Snapshot();
  const KeyMap& keys = *snapshot.map;
  const auto key_it = keys.find(kid);
  if (key_it == keys.end()) return Reject("unknown key id '" + internal::Printable(kid) + "'");
  const JwtKey& key = key_it->second;
  // The key decides the algorithm, never the token: an RS256 key is not an HMAC secret.
  if (*alg != key.algorithm()) {
    return Reject("token algorithm " + std::string(JwtAlgorithmName(*alg)) +
                  " does not match key '" + internal::Printable(kid) + "' (" +
                  std::string(JwtAlgorithmName(key.algorithm())) + ")");
  }
  if (!state_->verified.Contains(snapshot.generation, token)) {
    if (!internal::VerifyJws(internal::JwtKeyAccess::Get(key), parts.signing_input,
                             parts.signature)) {
      return Reject("token signature is invalid");
    }
    state_->verified.Add(snapshot.generation, token);
  }

  MH_ASSIGN_OR_RETURN(nlohmann::json claims,
                      internal::DecodeJsonObject(parts.payload_b64, "payload"));
  MH_TRY(internal::CheckClaims(claims, {.issuer = options.issuer,
                                        .audience = options.audience,
                                        .skew = options.clock_skew,
                                        .now = state_->clock.Now()}));
  VerifiedJwt out;
  out.header = std::move(parts.header);
  out.claims = std::move(claims);
  out.kid = kid;
  out.algorithm = *alg;
  return out;
}

Status JwtVerifier::AddKey(const JwtKey& key) {
  std::lock_guard lock(state_->mu);
  if (state_->keys->contains(key.kid())) {
    return AlreadyExists("kid '" + internal::Printable(key.kid()) + "' is already in use");
  }
  auto next = std::make_shared<KeyMap>(*state_->keys);
  next->emplace(key.kid(), key.PublicKey());
  state_->Replace(std::move(next));
  return Status::Ok();
}

bool JwtVerifier::RemoveKey(std::string_view kid) {
  std::lock_guard lock(state_->mu);
  const auto it = state_->keys->find(kid);
  if (it == state_->keys->end()) return false;
  auto next = std::make_shared<KeyMap>(*state_->keys);
  next->erase(std::string(kid));
  state_->Replace(std::move(next));
  return true;
}

Status JwtVerifier::SetKeys(const std::vector<JwtKey>& keys) {
  MH_ASSIGN_OR_RETURN(std::shared_ptr<const KeyMap> map, BuildKeyMap(keys));
  std::lock_guard lock(state_->mu);
  state_->Replace(std::move(map));
  return Status::Ok();
}

std::vector<std::string> JwtVerifier::Kids() const {
  std::vector<std::string> out;
  for (const auto& [kid, key] : *state_->Snapshot().map) out.push_back(kid);
  return out;
}

std::uint64_t JwtVerifier::KeyGeneration() const { return state_->Snapshot().generation; }

const JwtVerifierOptions& JwtVerifier::options() const { return state_->options; }

}  // namespace milkyhoop::crypto
