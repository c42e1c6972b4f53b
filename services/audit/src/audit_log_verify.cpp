// AuditLog: recomputing an organisation's chain.

#include <optional>
#include <string>

#include "audit_hash.hpp"
#include "audit_log.hpp"
#include "audit_rows.hpp"

namespace milkyhoop::audit {
namespace {

// Events read per query: bounded memory for chains of any length.
constexpr std::int64_t kPage = 500;

struct Head {
  std::int64_t seq = 0;
  std::string hash;
};

}  // namespace

Result<v1::VerifyChainResponse> AuditLog::VerifyChain(const v1::VerifyChainRequest& request) {
  if (request.org_id().empty()) return InvalidField("org_id", "is required");
  v1::VerifyChainResponse out;
  std::string prev_hash(kGenesisHash);
  std::int64_t expected_seq = 1;
  std::int64_t count = 0;

  auto fail = [&](const std::string& id, const char* reason) {
    out.set_ok(false);
    out.set_count(count);
    out.set_first_bad_id(id);
    out.set_reason(reason);
    return out;
  };

  // Reads and checks the events from expected_seq on, page by page; nullopt when all matched.
  auto walk = [&]() -> Result<std::optional<v1::VerifyChainResponse>> {
    for (;;) {
      sql::Rows rows;
      MH_TRY(db_.Read([&](sql::Session& s) -> Status {
        MH_ASSIGN_OR_RETURN(rows, s.Query("SELECT " + std::string(kEventColumns) +
                                              " FROM audit_events WHERE org_id = $1 AND "
                                              "seq >= $2 ORDER BY seq LIMIT $3",
                                          {request.org_id(), expected_seq, kPage}));
        return Status::Ok();
      }));
      for (std::size_t r = 0; r < rows.size(); ++r) {
        const v1::AuditEvent e = EventFromRow(rows, r);
        // An event before this one was removed.
        if (e.seq() != expected_seq) return std::optional(fail(e.id(), "seq"));
        // The previous event was replaced, or rewritten together with its hash.
        if (e.prev_hash() != prev_hash) return std::optional(fail(e.id(), "prev_hash"));
        // This event's fields were changed.
        if (e.record().org_id() != request.org_id() || ComputeAuditHash(e) != e.hash()) {
          return std::optional(fail(e.id(), "hash"));
        }
        prev_hash = e.hash();
        ++expected_seq;
        ++count;
      }
      if (static_cast<std::int64_t>(rows.size()) < kPage) {
        return std::optional<v1::VerifyChainResponse>();
      }
    }
  };

  auto read_head = [&]() -> Result<std::optional<Head>> {
    std::optional<Head> head;
    MH_TRY(db_.Read([&](sql::Session& s) -> Status {
      head.reset();
      MH_ASSIGN_OR_RETURN(
          sql::Rows rows,
          s.Query("SELECT seq, hash FROM audit_heads WHERE org_id = $1", {request.org_id()}));
      if (!rows.empty()) head = Head{rows.Int(0, 0), rows.Text(0, 1)};
      return Status::Ok();
    }));
    return head;
  };

  MH_ASSIGN_OR_RETURN(std::optional<v1::VerifyChainResponse> broken, walk());
  if (broken) return *broken;
  // The head is read after the walk: an append commits its event and the head together, so an
  // honest head is at or beyond what the walk saw. Behind it: events were added past the head
  // by hand. Beyond it: new appends, or removed newest events; walking on tells which.
  for (;;) {
    MH_ASSIGN_OR_RETURN(std::optional<Head> head, read_head());
    if (!head) {
      if (count > 0) return fail("", "head");  // events without a head: the head row was removed
      break;
    }
    if (head->seq == count) {
      if (head->hash != prev_hash) return fail("", "head");
      break;
    }
    if (head->seq < count) {
      // A valid-looking event past the head was added by hand: name the first of them.
      std::string id;
      MH_TRY(db_.Read([&](sql::Session& s) -> Status {
        MH_ASSIGN_OR_RETURN(sql::Rows rows,
                            s.Query("SELECT id FROM audit_events WHERE org_id = $1 AND seq = $2",
                                    {request.org_id(), head->seq + 1}));
        id = rows.empty() ? "" : rows.Text(0, 0);
        return Status::Ok();
      }));
      count = head->seq;
      return fail(id, "head");
    }
    const std::int64_t before = count;
    MH_ASSIGN_OR_RETURN(broken, walk());
    if (broken) return *broken;
    // Nothing new although the head names more events: the newest events were removed.
    if (count == before) return fail("", "head");
  }
  out.set_ok(true);
  out.set_count(count);
  if (count > 0) out.set_head_hash(prev_hash);
  return out;
}

}  // namespace milkyhoop::audit
