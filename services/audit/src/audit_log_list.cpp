// AuditLog: listing an organisation's events, newest first.

#include <algorithm>
#include <charconv>
#include <string>
#include <vector>

#include "audit_log.hpp"
#include "audit_rows.hpp"

namespace milkyhoop::audit {
namespace {

constexpr int kDefaultLimit = 50;
constexpr int kMaxLimit = 200;

// Cursors are the seq of the last event of the previous page, in decimal.
Result<std::int64_t> ParseCursor(const std::string& cursor) {
  std::int64_t seq = 0;
  const char* end = cursor.data() + cursor.size();
  auto [ptr, ec] = std::from_chars(cursor.data(), end, seq);
  if (ec != std::errc() || ptr != end || seq < 1) {
    return InvalidField("cursor", "is not a cursor this list returned");
  }
  return seq;
}

}  // namespace

Result<v1::ListAuditEventsResponse> AuditLog::ListEvents(
    const v1::ListAuditEventsRequest& request) {
  if (request.org_id().empty()) return InvalidField("org_id", "is required");
  const int limit = request.limit() == 0 ? kDefaultLimit : request.limit();
  if (limit < 1 || limit > kMaxLimit) {
    return InvalidField("limit", "must be between 1 and " + std::to_string(kMaxLimit));
  }
  if (request.from_ms() < 0) return InvalidField("from", "must not be negative");
  if (request.to_ms() < 0) return InvalidField("to", "must not be negative");
  if (request.from_ms() > 0 && request.to_ms() > 0 && request.to_ms() <= request.from_ms()) {
    return InvalidField("to", "must be after from");
  }

  std::string query =
      "SELECT " + std::string(kEventColumns) + " FROM audit_events WHERE org_id = $1";
  std::vector<sql::Value> params;
  params.emplace_back(std::in_place_type<std::string>, request.org_id());
  // Constructed in place: GCC 12 misreads moves of a variant holding a string
  // (maybe-uninitialized).
  auto add = [&](std::string_view condition, auto value) {
    params.emplace_back(std::in_place_type<decltype(value)>, std::move(value));
    query += " AND ";
    query += condition;
    query += " $" + std::to_string(params.size());
  };
  if (!request.action().empty()) add("action =", std::string(request.action()));
  if (!request.actor_id().empty()) add("actor_id =", std::string(request.actor_id()));
  if (request.from_ms() > 0) add("at_ms >=", std::int64_t{request.from_ms()});
  if (request.to_ms() > 0) add("at_ms <", std::int64_t{request.to_ms()});
  if (!request.cursor().empty()) {
    MH_ASSIGN_OR_RETURN(const std::int64_t after, ParseCursor(request.cursor()));
    add("seq <", after);
  }
  params.emplace_back(std::in_place_type<std::int64_t>, static_cast<std::int64_t>(limit) + 1);
  query += " ORDER BY seq DESC LIMIT $" + std::to_string(params.size());

  v1::ListAuditEventsResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    out.Clear();
    MH_ASSIGN_OR_RETURN(sql::Rows rows, s.Query(query, std::span<const sql::Value>(params)));
    const std::size_t n = std::min<std::size_t>(rows.size(), static_cast<std::size_t>(limit));
    for (std::size_t r = 0; r < n; ++r) *out.add_items() = EventFromRow(rows, r);
    if (rows.size() > n) {
      out.set_next_cursor(std::to_string(out.items(static_cast<int>(n) - 1).seq()));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace milkyhoop::audit
