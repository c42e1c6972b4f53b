#pragma once
// A counter of the write transactions committed through the databases it watches, so a cache
// of what they hold can tell it may be stale without asking them.
//
// A reader takes Current() before it reads and keeps it with what it read; the entry is fresh
// while Current() still has that value. A commit advances the counter after it returns, so the
// writer's own next read (and anything that waited for the write) sees the new value: a cache
// built on this never hides a write from the process that made it. Writes made by other
// processes on the same database are not seen: bound such a cache's entries in time too.
#include <atomic>
#include <cstdint>
#include <memory>

#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sql {

class CommitEpoch {
 public:
  std::uint64_t Current() const { return value_.load(std::memory_order_acquire); }
  void Advance() { value_.fetch_add(1, std::memory_order_acq_rel); }

 private:
  std::atomic<std::uint64_t> value_{0};
};

// `db` with every Transaction (committed or not: a failed commit may still have written)
// advancing `epoch`. Reads pass through. `epoch` must outlive the result.
std::unique_ptr<Database> AdvanceOnCommit(std::unique_ptr<Database> db, CommitEpoch& epoch);

}  // namespace milkyhoop::sql
