#pragma once
// The change log of the in-memory indexes (migrations/0002_index_changes.sql): which source of
// which business changed, in commit order. An entry names the source, not its new content: the
// applier reads the source's rows again, so applying an entry twice, or after a later change of
// the same source, still leaves the index equal to the tables.
//
// Ordering. A reader applies entries up to the newest it sees and then remembers that sequence;
// an entry with a smaller sequence that commits later would be skipped for ever. On PostgreSQL
// that happens with a plain sequence (nextval is not transactional: T1 takes 5, T2 takes 6 and
// commits first). So sequences come from one head row instead: AppendChanges raises it as the
// last statement of the writer's transaction, and the row lock it takes is held until commit,
// so the next writer gets its numbers only after this one committed or rolled back (a rollback
// returns its numbers: no gaps either). Every sequence up to the head a reader sees is
// therefore committed. The price is that rag writes commit one at a time, for the moment of
// their commit only; they are rare (owners editing knowledge). On SQLite writers are serialised
// anyway. The lock order is always knowledge_versions row, then head row: no deadlock.
#include <cstdint>
#include <string>
#include <vector>

#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::rag {

struct SourceRef {
  std::string type;  // faq | document | product | profile
  std::string id;
};

struct Change {
  std::int64_t seq = 0;
  std::string org_id, business_id;
  SourceRef source;
};

// Within the writer's transaction, as its last statement.
Status AppendChanges(sql::Session& tx, const std::string& org_id, const std::string& business_id,
                     const std::vector<SourceRef>& sources, std::int64_t now_ms);

struct LogHead {
  std::int64_t seq = 0;                // every change up to it is committed
  std::int64_t compacted_through = 0;  // changes up to it may be gone
};
Result<LogHead> ReadLogHead(sql::Session& s);

// Oldest first, at most `limit`.
Result<std::vector<Change>> ChangesAfter(sql::Session& s, std::int64_t after, int limit);
Result<std::vector<Change>> BusinessChangesAfter(sql::Session& s, const std::string& org_id,
                                                 const std::string& business_id, std::int64_t after,
                                                 int limit);

// Deletes changes older than `older_than_ms` (at most `max_rows` of them) and raises
// compacted_through accordingly. Returns the number deleted.
Result<std::int64_t> CompactChanges(sql::Database& db, std::int64_t older_than_ms, int max_rows);

}  // namespace milkyhoop::rag
