#include "signing_keys.hpp"

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/crypto/encoding.hpp"

namespace milkyhoop::auth {
namespace {

constexpr std::size_t kHmacSecretBytes = 32;

std::string KeyAad(std::string_view kid) { return "auth.signing_keys:" + std::string(kid); }

struct GeneratedKey {
  crypto::JwtKey key;
  std::string private_material;  // PEM, or the raw HS256 secret
};

Result<GeneratedKey> Generate(crypto::JwtAlgorithm algorithm) {
  // The kid names the key publicly: random, so it reveals nothing about the key or the time.
  std::string kid = crypto::Base64UrlEncode(RandomBytes(12));
  switch (algorithm) {
    case crypto::JwtAlgorithm::kEdDSA: {
      MH_ASSIGN_OR_RETURN(crypto::JwtKey key, crypto::JwtKey::GenerateEd25519(kid));
      MH_ASSIGN_OR_RETURN(std::string pem, key.ToPrivatePem());
      return GeneratedKey{std::move(key), std::move(pem)};
    }
    case crypto::JwtAlgorithm::kRS256: {
      MH_ASSIGN_OR_RETURN(crypto::JwtKey key, crypto::JwtKey::GenerateRsa(kid, 2048));
      MH_ASSIGN_OR_RETURN(std::string pem, key.ToPrivatePem());
      return GeneratedKey{std::move(key), std::move(pem)};
    }
    case crypto::JwtAlgorithm::kHS256: {
      std::string secret = RandomBytes(kHmacSecretBytes);
      MH_ASSIGN_OR_RETURN(crypto::JwtKey key, crypto::JwtKey::FromHmacSecret(kid, secret));
      return GeneratedKey{std::move(key), std::move(secret)};
    }
    case crypto::JwtAlgorithm::kES256:
      break;
  }
  return InvalidArgument("access tokens are signed with EdDSA, RS256 or HS256");
}

Result<crypto::JwtKey> PrivateKeyFrom(std::string_view kid, std::string_view algorithm,
                                      std::string_view material) {
  if (algorithm == "HS256") return crypto::JwtKey::FromHmacSecret(std::string(kid), material);
  MH_ASSIGN_OR_RETURN(crypto::JwtKey key,
                      crypto::JwtKey::FromPrivatePem(std::string(kid), material));
  if (crypto::JwtAlgorithmName(key.algorithm()) != algorithm) {
    return Internal("signing key " + std::string(kid) + " does not match its algorithm");
  }
  return key;
}

}  // namespace

Result<std::unique_ptr<SigningKeys>> SigningKeys::Open(sql::Database& db, SecretSealer& sealer,
                                                       const Clock& clock,
                                                       SigningKeyOptions options) {
  std::unique_ptr<SigningKeys> keys(new SigningKeys(db, sealer, clock, options));
  MH_TRY(keys->EnsureActive(/*only_if_needed=*/true).status());
  MH_TRY(keys->Reload());
  return keys;
}

Result<std::string> SigningKeys::EnsureActive(bool only_if_needed) {
  const std::string algorithm(crypto::JwtAlgorithmName(options_.algorithm));
  if (only_if_needed) {
    std::string existing;
    MH_TRY(db_.Read([&](sql::Session& s) -> Status {
      MH_ASSIGN_OR_RETURN(
          sql::Rows rows,
          s.Query("SELECT kid FROM signing_keys WHERE active = 1 AND algorithm = $1", {algorithm}));
      if (!rows.empty()) existing = rows.Text(0, 0);
      return Status::Ok();
    }));
    if (!existing.empty()) return existing;
  }
  // Generated outside the transaction: an RSA key takes a while, and the writer is shared.
  MH_ASSIGN_OR_RETURN(GeneratedKey fresh, Generate(options_.algorithm));
  const std::string kid = fresh.key.kid();
  MH_ASSIGN_OR_RETURN(std::string sealed, sealer_.Seal(fresh.private_material, KeyAad(kid)));
  sql::Value public_jwk = sql::Null;
  if (!fresh.key.is_symmetric()) {
    MH_ASSIGN_OR_RETURN(nlohmann::json jwk, fresh.key.ToPublicJwk());
    public_jwk = jwk.dump();
  }
  std::string active_kid;
  // Two replicas starting together may race for the single active slot (UNIQUE active): the
  // loser retries once and then finds the winner's key.
  for (int attempt = 0; attempt < 2; ++attempt) {
    Status s = db_.Transaction([&](sql::Session& tx) -> Status {
      MH_ASSIGN_OR_RETURN(sql::Rows rows,
                          tx.Query("SELECT kid, algorithm FROM signing_keys WHERE active = 1"));
      if (!rows.empty() && only_if_needed && rows.Text(0, 1) == algorithm) {
        active_kid = rows.Text(0, 0);
        return Status::Ok();
      }
      const std::int64_t now = clock_.NowUnixMillis();
      const std::int64_t publish_until =
          now + std::chrono::duration_cast<std::chrono::milliseconds>(options_.publish_after_retire)
                    .count();
      MH_TRY(tx.Exec("UPDATE signing_keys SET active = NULL, retired_at = $1, publish_until = $2 "
                     "WHERE active = 1",
                     {now, publish_until})
                 .status());
      MH_TRY(
          tx.Exec("INSERT INTO signing_keys (kid, algorithm, private_sealed, public_jwk, active, "
                  "created_at) VALUES ($1, $2, $3, $4, 1, $5)",
                  {kid, algorithm, sealed, public_jwk, now})
              .status());
      active_kid = kid;
      return Status::Ok();
    });
    if (s.ok()) break;
    if (s.code() != StatusCode::kAlreadyExists || attempt == 1) return s;
  }
  if (active_kid == kid) {
    MH_LOG_INFO("auth signing key created", {"kid", kid}, {"algorithm", algorithm});
  }
  return active_kid;
}

Status SigningKeys::Reload() {
  const std::int64_t now = clock_.NowUnixMillis();
  sql::Rows rows;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(rows, s.Query("SELECT kid, algorithm, private_sealed, public_jwk, active "
                                      "FROM signing_keys WHERE active = 1 OR publish_until > $1 "
                                      "ORDER BY created_at DESC",
                                      {now}));
    return Status::Ok();
  }));
  auto next = std::make_shared<Snapshot>();
  for (std::size_t r = 0; r < rows.size(); ++r) {
    const std::string kid = rows.Text(r, 0);
    const std::string algorithm = rows.Text(r, 1);
    const bool active = !rows.IsNull(r, 4);
    if (active || algorithm == "HS256") {
      MH_ASSIGN_OR_RETURN(std::string material, sealer_.Open(rows.Text(r, 2), KeyAad(kid)));
      MH_ASSIGN_OR_RETURN(crypto::JwtKey key, PrivateKeyFrom(kid, algorithm, material));
      if (active) {
        MH_ASSIGN_OR_RETURN(crypto::JwtSigner signer, crypto::JwtSigner::Create(key));
        next->signer = std::make_shared<const crypto::JwtSigner>(std::move(signer));
      }
      next->verification.push_back(key.PublicKey());
    } else {
      auto jwk = nlohmann::json::parse(rows.Text(r, 3), nullptr, false);
      if (jwk.is_discarded()) return Internal("stored public key " + kid + " is not JSON");
      MH_ASSIGN_OR_RETURN(crypto::JwtKey key, crypto::JwtKey::FromJwk(jwk));
      next->verification.push_back(std::move(key));
    }
  }
  if (!next->signer) return FailedPrecondition("no active access-token signing key");
  next->loaded = std::chrono::steady_clock::now();
  std::lock_guard lock(mu_);
  snapshot_ = std::move(next);
  return Status::Ok();
}

Result<std::shared_ptr<const SigningKeys::Snapshot>> SigningKeys::Current() {
  std::shared_ptr<const Snapshot> current;
  {
    std::lock_guard lock(mu_);
    current = snapshot_;
  }
  if (current && std::chrono::steady_clock::now() - current->loaded < options_.reload_interval) {
    return current;
  }
  Status reloaded = Reload();
  std::lock_guard lock(mu_);
  if (!reloaded.ok()) {
    // Keep serving with the keys we have; the database may be back at the next call.
    if (snapshot_) {
      MH_LOG_WARN("auth signing keys reload failed", {"error", reloaded.message()});
      return snapshot_;
    }
    return reloaded;
  }
  return snapshot_;
}

Result<std::string> SigningKeys::Sign(const nlohmann::json& claims) {
  MH_ASSIGN_OR_RETURN(auto snapshot, Current());
  return snapshot->signer->Sign(claims);
}

Result<std::string> SigningKeys::PublicJwks() {
  MH_ASSIGN_OR_RETURN(auto snapshot, Current());
  return crypto::ToJwks(snapshot->verification).dump();
}

Result<std::vector<crypto::JwtKey>> SigningKeys::VerificationKeys() {
  MH_ASSIGN_OR_RETURN(auto snapshot, Current());
  return snapshot->verification;
}

Result<std::string> SigningKeys::Rotate() {
  MH_ASSIGN_OR_RETURN(std::string kid, EnsureActive(/*only_if_needed=*/false));
  MH_TRY(Reload());
  return kid;
}

}  // namespace milkyhoop::auth
