#include "change_log.hpp"

namespace milkyhoop::rag {
namespace {

Result<std::vector<Change>> ToChanges(const sql::Rows& rows) {
  std::vector<Change> out;
  out.reserve(rows.size());
  for (std::size_t r = 0; r < rows.size(); ++r) {
    out.push_back(Change{rows.Int(r, 0), rows.Text(r, 1), rows.Text(r, 2),
                         SourceRef{rows.Text(r, 3), rows.Text(r, 4)}});
  }
  return out;
}

constexpr char kChangeColumns[] = "seq, org_id, business_id, source_type, source_id";

}  // namespace

Status AppendChanges(sql::Session& tx, const std::string& org_id, const std::string& business_id,
                     const std::vector<SourceRef>& sources, std::int64_t now_ms) {
  if (sources.empty()) return Status::Ok();
  const auto n = static_cast<std::int64_t>(sources.size());
  MH_ASSIGN_OR_RETURN(std::int64_t changed,
                      tx.Exec("UPDATE index_change_head SET seq = seq + $1 WHERE id = 1", {n}));
  if (changed != 1) return Status(StatusCode::kInternal, "index_change_head row is missing");
  MH_ASSIGN_OR_RETURN(sql::Rows head, tx.Query("SELECT seq FROM index_change_head WHERE id = 1"));
  std::int64_t seq = head.Int(0, 0) - n;
  for (const SourceRef& s : sources) {
    MH_TRY(tx.Exec("INSERT INTO index_changes (seq, org_id, business_id, source_type, source_id, "
                   "created_at_ms) VALUES ($1, $2, $3, $4, $5, $6)",
                   {++seq, org_id, business_id, s.type, s.id, now_ms})
               .status());
  }
  return Status::Ok();
}

Result<LogHead> ReadLogHead(sql::Session& s) {
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      s.Query("SELECT seq, compacted_through FROM index_change_head WHERE id = 1"));
  if (rows.empty()) return Status(StatusCode::kInternal, "index_change_head row is missing");
  return LogHead{rows.Int(0, 0), rows.Int(0, 1)};
}

Result<std::vector<Change>> ChangesAfter(sql::Session& s, std::int64_t after, int limit) {
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      s.Query(std::string("SELECT ") + kChangeColumns +
                                  " FROM index_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
                              {after, std::int64_t{limit}}));
  return ToChanges(rows);
}

Result<std::vector<Change>> BusinessChangesAfter(sql::Session& s, const std::string& org_id,
                                                 const std::string& business_id, std::int64_t after,
                                                 int limit) {
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      s.Query(std::string("SELECT ") + kChangeColumns +
                                  " FROM index_changes WHERE business_id = $1 AND org_id = $2 "
                                  "AND seq > $3 ORDER BY seq LIMIT $4",
                              {business_id, org_id, after, std::int64_t{limit}}));
  return ToChanges(rows);
}

Result<std::int64_t> CompactChanges(sql::Database& db, std::int64_t older_than_ms, int max_rows) {
  std::int64_t deleted = 0;
  MH_TRY(db.Transaction([&](sql::Session& tx) -> Status {
    // The newest sequence among the old rows; everything up to it goes (a row is never older
    // than one with a smaller sequence by more than clock skew, which the retention dwarfs).
    MH_ASSIGN_OR_RETURN(sql::Rows rows,
                        tx.Query("SELECT seq FROM index_changes WHERE created_at_ms < $1 "
                                 "ORDER BY seq LIMIT $2",
                                 {older_than_ms, std::int64_t{max_rows}}));
    if (rows.empty()) return Status::Ok();
    const std::int64_t through = rows.Int(rows.size() - 1, 0);
    MH_ASSIGN_OR_RETURN(deleted, tx.Exec("DELETE FROM index_changes WHERE seq <= $1", {through}));
    return tx
        .Exec(
            "UPDATE index_change_head SET compacted_through = CASE WHEN compacted_through < $1 "
            "THEN $1 ELSE compacted_through END WHERE id = 1",
            {through})
        .status();
  }));
  return deleted;
}

}  // namespace milkyhoop::rag
