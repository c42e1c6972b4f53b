// OrgService: API keys.

#include <string>

#include "api_key_secret.hpp"
#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/core/log.hpp"
#include "milkyhoop/org/org_events.hpp"
#include "milkyhoop/org/v1/events.pb.h"
#include "milkyhoop/org/validation.hpp"
#include "org_queries.hpp"
#include "org_service_impl.hpp"

namespace milkyhoop::org {
namespace {

// last_used_at is a hint for humans ("used 3 days ago"), not a log: at most one write a minute
// per key keeps verification a read.
constexpr std::int64_t kLastUsedResolutionMs = 60'000;

std::string JoinScopes(const std::vector<std::string>& scopes) {
  std::string out;
  for (const std::string& s : scopes) {
    if (!out.empty()) out += ' ';
    out += s;
  }
  return out;
}

Result<std::optional<v1::ApiKey>> FindApiKey(sql::Session& s, std::string_view org_id,
                                             std::string_view key_id) {
  MH_ASSIGN_OR_RETURN(sql::Rows rows, s.Query("SELECT " + std::string(kApiKeyColumns) +
                                                  " FROM api_keys WHERE org_id = $1 AND id = $2",
                                              {std::string(org_id), std::string(key_id)}));
  if (rows.empty()) return std::optional<v1::ApiKey>();
  return std::optional<v1::ApiKey>(ApiKeyFromRow(rows, 0));
}

}  // namespace

Result<v1::CreateApiKeyResponse> OrgServiceImpl::CreateApiKey(
    const v1::CreateApiKeyRequest& request) {
  MH_ASSIGN_OR_RETURN(const std::string name, ValidateName("name", request.name()));
  MH_ASSIGN_OR_RETURN(const std::vector<std::string> scopes,
                      ValidateScopes("scopes", {request.scopes().begin(), request.scopes().end()}));
  MH_TRY(ValidateBusinessId("business_id", request.business_id()));

  v1::CreateApiKeyResponse out;
  const std::string key_id = NewId("key_");
  const AuditEntry entry{.org_id = request.org_id(),
                         .action = "apikey.created",
                         .target_type = "api_key",
                         .target_id = key_id};
  // A prefix collision (40 random bits) only costs another attempt.
  Status st = RetryOnConflict(5, [&]() -> Status {
    return db_.Transaction([&](sql::Session& tx) -> Status {
      MH_ASSIGN_OR_RETURN(const Role actor, RequireActor(tx, request.org_id(), request.audit(),
                                                         perm::kApiKeysManage));
      // A key can do no more than the member who made it.
      for (const std::string& scope : scopes) {
        if (!RoleHasPermission(actor, scope)) {
          return PermissionDenied("your role (" + std::string(RoleName(actor)) + ") lacks " + scope)
              .WithField("scopes", "'" + scope + "' exceeds your role");
        }
      }
      MH_ASSIGN_OR_RETURN(sql::Rows live,
                          tx.Query("SELECT COUNT(*) FROM api_keys WHERE org_id = $1 AND "
                                   "revoked_at IS NULL",
                                   {request.org_id()}));
      if (live.Int(0, 0) >= static_cast<std::int64_t>(kMaxActiveApiKeysPerOrg)) {
        return FailedPrecondition("this organisation has " +
                                  std::to_string(kMaxActiveApiKeysPerOrg) +
                                  " active API keys; revoke one first");
      }
      const std::int64_t now = clock_.NowUnixMillis();
      GeneratedApiKey generated = GenerateApiKey();
      MH_TRY(tx.Exec("INSERT INTO api_keys (id, org_id, name, prefix, secret_hash, scopes, "
                     "business_id, created_by, created_at) "
                     "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
                     {key_id, request.org_id(), name, generated.prefix, generated.secret_hash,
                      JoinScopes(scopes), request.business_id(), request.audit().actor_id(), now})
                 .status());
      MH_ASSIGN_OR_RETURN(std::optional<v1::ApiKey> key, FindApiKey(tx, request.org_id(), key_id));
      if (!key) return Internal("API key vanished inside its own transaction");
      MH_TRY(AppendAuditRecord(tx, clock_, request.audit(), entry));
      *out.mutable_key() = std::move(*key);
      out.set_secret(std::move(generated.secret));
      return Status::Ok();
    });
  });
  if (!st.ok()) return AuditRefusal(std::move(st), request.audit(), entry);
  return out;
}

Result<v1::ListApiKeysResponse> OrgServiceImpl::ListApiKeys(const v1::ListApiKeysRequest& request) {
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  MH_TRY(ValidateCursor("cursor", request.cursor()));
  v1::ListApiKeysResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    out.Clear();
    MH_ASSIGN_OR_RETURN(std::optional<v1::Org> org, FindLiveOrg(s, request.org_id()));
    if (!org) return NotFound("organisation not found");
    MH_ASSIGN_OR_RETURN(sql::Rows rows, s.Query("SELECT " + std::string(kApiKeyColumns) +
                                                    " FROM api_keys WHERE org_id = $1 AND id > $2 "
                                                    "ORDER BY id LIMIT $3",
                                                {request.org_id(), request.cursor(),
                                                 static_cast<std::int64_t>(limit) + 1}));
    const std::size_t n = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(limit));
    for (std::size_t r = 0; r < n; ++r) *out.add_items() = ApiKeyFromRow(rows, r);
    if (rows.size() > n) out.set_next_cursor(out.items(static_cast<int>(n) - 1).id());
    return Status::Ok();
  }));
  return out;
}

Result<v1::RevokeApiKeyResponse> OrgServiceImpl::RevokeApiKey(
    const v1::RevokeApiKeyRequest& request) {
  if (request.key_id().empty()) return InvalidField("key_id", "is required");
  v1::RevokeApiKeyResponse out;
  const AuditEntry entry{.org_id = request.org_id(),
                         .action = "apikey.revoked",
                         .target_type = "api_key",
                         .target_id = request.key_id()};
  Status st = db_.Transaction([&](sql::Session& tx) -> Status {
    MH_TRY(RequireActor(tx, request.org_id(), request.audit(), perm::kApiKeysManage).status());
    MH_ASSIGN_OR_RETURN(std::optional<v1::ApiKey> key,
                        FindApiKey(tx, request.org_id(), request.key_id()));
    if (!key) return NotFound("API key not found");
    if (key->revoked()) {
      *out.mutable_key() = std::move(*key);
      return Status::Ok();
    }
    const std::int64_t now = clock_.NowUnixMillis();
    MH_TRY(tx.Exec("UPDATE api_keys SET revoked_at = $3 WHERE org_id = $1 AND id = $2",
                   {request.org_id(), request.key_id(), now})
               .status());
    key->set_revoked(true);
    key->set_revoked_at_ms(now);
    *out.mutable_key() = std::move(*key);
    MH_TRY(AppendAuditRecord(tx, clock_, request.audit(), entry));
    v1::ApiKeyRevoked revoked;
    revoked.set_org_id(request.org_id());
    revoked.set_key_id(request.key_id());
    return AppendDomainEvent(tx, clock_, kApiKeyRevokedEvent, request.org_id(), revoked,
                             request.audit().trace_id());
  });
  if (!st.ok()) return AuditRefusal(std::move(st), request.audit(), entry);
  return out;
}

Result<v1::VerifyApiKeyResponse> OrgServiceImpl::VerifyApiKey(
    const v1::VerifyApiKeyRequest& request) {
  // One answer for every failure: no oracle telling which part of a guess was right.
  const Status invalid = Unauthenticated("invalid API key");
  const std::optional<std::string> prefix = ParseApiKeyPrefix(request.secret());
  if (!prefix) return invalid;
  const std::string presented_hash = HashApiKeySecret(request.secret());

  std::optional<sql::Rows> found;
  // Across organisations by design: the key is what tells which organisation is calling.
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(found,
                        s.Query("SELECT k.id, k.org_id, k.business_id, k.scopes, k.secret_hash, "
                                "k.revoked_at, k.last_used_at FROM api_keys k JOIN orgs o "
                                "ON o.id = k.org_id WHERE k.prefix = $1 AND o.deleted_at IS NULL",
                                {*prefix}));
    return Status::Ok();
  }));
  if (found->empty()) return invalid;
  const sql::Rows& rows = *found;
  if (!ApiKeyHashesEqual(presented_hash, rows.Text(0, 4)) || !rows.IsNull(0, 5)) return invalid;

  v1::VerifyApiKeyResponse out;
  out.set_key_id(rows.Text(0, 0));
  out.set_org_id(rows.Text(0, 1));
  out.set_business_id(rows.Text(0, 2));
  for (std::string& scope : SplitScopes(rows.Text(0, 3))) out.add_scopes(std::move(scope));

  const std::int64_t now = clock_.NowUnixMillis();
  if (rows.IsNull(0, 6) || now - rows.Int(0, 6) >= kLastUsedResolutionMs) {
    // The condition repeats the check so concurrent verifications write once; a failure only
    // loses a hint and must not fail the caller's request.
    auto updated = db_.Exec(
        "UPDATE api_keys SET last_used_at = $3 WHERE org_id = $1 AND id = $2 AND "
        "(last_used_at IS NULL OR last_used_at <= $4)",
        {out.org_id(), out.key_id(), now, now - kLastUsedResolutionMs});
    if (!updated.ok()) {
      MH_LOG_WARN("api key last_used_at not updated", {"key_id", out.key_id()},
                  {"error", updated.status().ToString()});
    }
  }
  return out;
}

}  // namespace milkyhoop::org
