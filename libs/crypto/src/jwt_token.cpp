#include "jwt_token.hpp"

#include <cmath>
#include <cstdio>
#include <optional>

#include "milkyhoop/crypto/encoding.hpp"

namespace milkyhoop::crypto::internal {
namespace {

using Json = nlohmann::json;

Status Reject(std::string message) { return Unauthenticated(std::move(message)); }

std::string Seconds(double t) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.0f", t);
  return buf;
}

// A NumericDate claim: absent → nullopt; present but not a finite number → error.
Result<std::optional<double>> NumericDate(const Json& claims, const char* name) {
  const auto it = claims.find(name);
  if (it == claims.end()) return std::optional<double>();
  if (!it->is_number()) return Reject(std::string("token claim '") + name + "' is not a number");
  const double value = it->get<double>();
  if (!std::isfinite(value)) {
    return Reject(std::string("token claim '") + name + "' is not a finite number");
  }
  return std::optional<double>(value);
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string out;
  for (char c : text.substr(0, 64)) out += (c >= 0x20 && c < 0x7F) ? c : '?';
  if (text.size() > 64) out += "...";
  return out;
}

Result<Json> DecodeJsonObject(std::string_view b64, std::string_view what) {
  Result<std::string> bytes = Base64UrlDecode(b64);
  if (!bytes.ok()) return Reject("token " + std::string(what) + " is not valid base64url");
  Json json = Json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return Reject("token " + std::string(what) + " is not a JSON object");
  }
  return json;
}

Result<JwtParts> SplitJwt(std::string_view token, std::size_t max_bytes) {
  if (token.empty()) return Reject("token is empty");
  if (token.size() > max_bytes) {
    return Reject("token is too large (" + std::to_string(token.size()) + " bytes, max " +
                  std::to_string(max_bytes) + ")");
  }
  const std::size_t first = token.find('.');
  const std::size_t second =
      first == std::string_view::npos ? std::string_view::npos : token.find('.', first + 1);
  std::size_t segments = 1;
  for (char c : token) segments += c == '.' ? 1 : 0;
  if (segments != 3) {
    return Reject("token must have 3 segments, found " + std::to_string(segments));
  }
  JwtParts parts;
  parts.signing_input = token.substr(0, second);
  parts.payload_b64 = token.substr(first + 1, second - first - 1);
  MH_ASSIGN_OR_RETURN(parts.header, DecodeJsonObject(token.substr(0, first), "header"));
  Result<std::string> signature = Base64UrlDecode(token.substr(second + 1));
  if (!signature.ok()) return Reject("token signature is not valid base64url");
  parts.signature = std::move(signature).value();
  return parts;
}

Status CheckClaims(const Json& claims, const ClaimChecks& checks) {
  const double now = std::chrono::duration<double>(checks.now.time_since_epoch()).count();
  const double skew = static_cast<double>(checks.skew.count());

  MH_ASSIGN_OR_RETURN(std::optional<double> exp, NumericDate(claims, "exp"));
  if (!exp) return Reject("token has no exp claim");
  if (now >= *exp + skew) {
    return Reject("token expired at " + Seconds(*exp) + " (now " + Seconds(now) + ", skew " +
                  Seconds(skew) + "s)");
  }
  MH_ASSIGN_OR_RETURN(std::optional<double> nbf, NumericDate(claims, "nbf"));
  if (nbf && *nbf > now + skew) {
    return Reject("token is not valid before " + Seconds(*nbf) + " (now " + Seconds(now) +
                  ", skew " + Seconds(skew) + "s)");
  }
  MH_ASSIGN_OR_RETURN(std::optional<double> iat, NumericDate(claims, "iat"));
  if (iat && *iat > now + skew) {
    return Reject("token was issued in the future, at " + Seconds(*iat) + " (now " + Seconds(now) +
                  ", skew " + Seconds(skew) + "s)");
  }

  const auto iss = claims.find("iss");
  if (iss == claims.end() || !iss->is_string()) return Reject("token has no iss claim");
  if (iss->get_ref<const std::string&>() != checks.issuer) {
    return Reject("token issuer '" + Printable(iss->get_ref<const std::string&>()) +
                  "' is not the expected '" + std::string(checks.issuer) + "'");
  }

  const auto aud = claims.find("aud");
  bool audience_ok = false;
  if (aud != claims.end() && aud->is_string()) {
    audience_ok = aud->get_ref<const std::string&>() == checks.audience;
  } else if (aud != claims.end() && aud->is_array()) {
    for (const Json& a : *aud) {
      audience_ok =
          audience_ok || (a.is_string() && a.get_ref<const std::string&>() == checks.audience);
    }
  }
  if (!audience_ok) {
    return Reject("token audience does not include '" + std::string(checks.audience) + "'");
  }
  return Status::Ok();
}

}  // namespace milkyhoop::crypto::internal
