// Helpers shared by the org-scoped routes (declared in org_routes.hpp).

#include <charconv>
#include <ctime>
#include <nlohmann/json.hpp>

#include "milkyhoop/gateway/org_routes.hpp"
#include "milkyhoop/http/problem.hpp"

namespace milkyhoop::gateway {
namespace {

constexpr std::size_t kMaxUserAgent = 512;
constexpr std::size_t kMaxIdText = 128;
// Bodies of these routes are a few small fields.
constexpr std::size_t kMaxBody = 16 * 1024;

// Printable ASCII only: these values come from the client and end up in proto strings (valid
// UTF-8 required) and in the audit log.
std::string PrintableAscii(std::string_view in, std::size_t max) {
  std::string out;
  out.reserve(std::min(in.size(), max));
  for (char c : in) {
    if (out.size() == max) break;
    out += (c >= 0x20 && c <= 0x7E) ? c : '?';
  }
  return out;
}

bool ReadInt(std::string_view text, std::size_t pos, std::size_t len, int* out) {
  if (pos + len > text.size()) return false;
  for (std::size_t i = pos; i < pos + len; ++i) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return std::from_chars(text.data() + pos, text.data() + pos + len, *out).ec == std::errc();
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
std::int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<std::int64_t>(era) * 146097 + doe - 719468;
}

bool IsLeap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

}  // namespace

org::v1::AuditContext AuditContextFrom(const http::Request& request) {
  org::v1::AuditContext a;
  if (request.principal) a.set_actor_id(PrintableAscii(request.principal->subject_id, kMaxIdText));
  a.set_ip(PrintableAscii(request.remote_ip, kMaxIdText));
  a.set_user_agent(PrintableAscii(request.Header("user-agent"), kMaxUserAgent));
  a.set_request_id(PrintableAscii(request.request_id, kMaxIdText));
  a.set_trace_id(PrintableAscii(request.trace_id, kMaxIdText));
  return a;
}

org::v1::Principal OrgPrincipalFrom(const http::Principal& principal) {
  org::v1::Principal p;
  p.set_kind(principal.kind == http::Principal::Kind::kApiKey ? "api_key" : "user");
  p.set_subject_id(principal.subject_id);
  p.set_org_id(principal.org_id);
  p.set_business_id(principal.business_id);
  for (const std::string& s : principal.scopes) p.add_scopes(s);
  return p;
}

Result<org::v1::AuthorizeResponse> AuthorizeOrgRequest(org::OrgService& orgs,
                                                       const http::Request& request,
                                                       std::string_view org_id,
                                                       std::string_view permission,
                                                       std::string_view business_id) {
  if (!request.principal) return Unauthenticated("missing credentials");
  org::v1::AuthorizeRequest req;
  *req.mutable_principal() = OrgPrincipalFrom(*request.principal);
  req.set_org_id(std::string(org_id));
  req.set_permission(std::string(permission));
  req.set_business_id(std::string(business_id));
  *req.mutable_audit() = AuditContextFrom(request);
  return orgs.Authorize(req);
}

std::optional<std::string> BodyReader::RequiredString(std::string_view field) {
  auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) {
    Add(std::string(field), "is required");
    return std::nullopt;
  }
  if (!it->is_string()) {
    Add(std::string(field), "must be a string");
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::string> BodyReader::OptionalString(std::string_view field) {
  auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    Add(std::string(field), "must be a string");
    return std::nullopt;
  }
  return it->get<std::string>();
}

std::optional<std::vector<std::string>> BodyReader::RequiredStringArray(std::string_view field) {
  auto it = body_.find(field);
  if (it == body_.end() || it->is_null()) {
    Add(std::string(field), "is required");
    return std::nullopt;
  }
  if (!it->is_array()) {
    Add(std::string(field), "must be an array of strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  for (const auto& item : *it) {
    if (!item.is_string()) {
      Add(std::string(field), "must be an array of strings");
      return std::nullopt;
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

void BodyReader::Check(const Status& validation) {
  if (validation.ok()) return;
  if (validation.field_errors().empty()) {
    Add("", validation.message());
    return;
  }
  for (const FieldError& e : validation.field_errors()) Add(e.field, e.message);
}

void BodyReader::Add(std::string field, std::string message) {
  errors_.push_back({std::move(field), std::move(message)});
}

http::Response BodyReader::Problem() const {
  std::string detail = "invalid request body";
  if (!errors_.empty()) detail = errors_[0].field + ": " + errors_[0].message;
  return http::Problem(400, http::code::kInvalidArgument, detail, errors_);
}

Result<PageParams> ParsePageParams(const http::Request& request) {
  PageParams page;
  if (std::optional<std::string> limit = request.QueryParam("limit")) {
    int value = 0;
    const char* end = limit->data() + limit->size();
    auto [ptr, ec] = std::from_chars(limit->data(), end, value);
    if (limit->empty() || ec != std::errc() || ptr != end || value < 1 || value > 200) {
      return InvalidField("limit", "must be an integer between 1 and 200");
    }
    page.limit = value;
  }
  if (std::optional<std::string> cursor = request.QueryParam("cursor")) page.cursor = *cursor;
  return page;
}

std::vector<http::ParamDoc> PageParamDocs() {
  return {{.name = "limit",
           .schema = R"({"type":"integer","minimum":1,"maximum":200,"default":50})",
           .description = "Page size."},
          {.name = "cursor",
           .description = "next_cursor of the previous page; omit for the first page."}};
}

std::string ListSchema(std::string_view item_schema) {
  return R"({"type":"object","required":["items","next_cursor"],"properties":{"items":)"
         R"({"type":"array","items":)" +
         std::string(item_schema) + R"(},"next_cursor":{"type":["string","null"]}}})";
}

std::string FormatTimestamp(std::int64_t unix_ms) {
  std::int64_t secs = unix_ms / 1000;
  std::int64_t ms = unix_ms % 1000;
  if (ms < 0) {
    ms += 1000;
    secs -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
                              tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                              tm.tm_sec, static_cast<int>(ms));
  return std::string(buf, n > 0 ? static_cast<std::size_t>(n) : 0);
}

std::optional<std::int64_t> ParseTimestamp(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|+HH:MM|-HH:MM)
  int year, month, day, hour, minute, second;
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') ||
      s[13] != ':' || s[16] != ':' || !ReadInt(s, 0, 4, &year) || !ReadInt(s, 5, 2, &month) ||
      !ReadInt(s, 8, 2, &day) || !ReadInt(s, 11, 2, &hour) || !ReadInt(s, 14, 2, &minute) ||
      !ReadInt(s, 17, 2, &second)) {
    return std::nullopt;
  }
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12 || day < 1 ||
      day > kDays[month - 1] + (month == 2 && IsLeap(year) ? 1 : 0) || hour > 23 || minute > 59 ||
      second > 60) {
    return std::nullopt;
  }
  std::size_t pos = 19;
  std::int64_t ms = 0;
  if (pos < s.size() && s[pos] == '.') {
    ++pos;
    const std::size_t start = pos;
    int scale = 100;
    while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
      ms += (s[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start) return std::nullopt;
  }
  std::int64_t offset_minutes = 0;
  if (pos < s.size() && (s[pos] == 'Z' || s[pos] == 'z')) {
    ++pos;
  } else if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
    int oh, om;
    if (pos + 6 != s.size() || s[pos + 3] != ':' || !ReadInt(s, pos + 1, 2, &oh) ||
        !ReadInt(s, pos + 4, 2, &om) || oh > 23 || om > 59) {
      return std::nullopt;
    }
    offset_minutes = (s[pos] == '+' ? 1 : -1) * (oh * 60 + om);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != s.size()) return std::nullopt;
  const std::int64_t secs = DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 +
                            std::min(second, 59) - offset_minutes * 60;
  return secs * 1000 + ms;
}

http::Route MakeOrgRoute(std::string method, std::string path, std::string operation_id,
                         std::string summary, std::string tag, http::AuthPolicy auth,
                         std::string_view permission) {
  http::Route r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.operation_id = std::move(operation_id);
  r.summary = std::move(summary);
  r.tag = std::move(tag);
  r.auth = auth;
  r.permission = std::string(permission);
  r.rate_class = http::RateClass::kGeneral;
  r.execution = http::Execution::kBlocking;
  r.max_body_bytes = kMaxBody;
  return r;
}

http::Response MissingPrincipalProblem() {
  return http::Problem(401, http::code::kUnauthenticated, "missing credentials");
}

http::ResponseDoc ProblemDoc(int status, std::string description) {
  return {status, std::move(description), R"({"$ref":"#/components/schemas/Problem"})",
          "application/problem+json"};
}

}  // namespace milkyhoop::gateway
