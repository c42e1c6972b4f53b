#pragma once
// The baseline of the retrieval benchmark: SQLite FTS5 with its bm25() ranking, over the same
// chunks (title and body columns, title weighted like ours), queried with OR of the terms
// (our index also scores any-term matches), top-k by bm25().

#include <sqlite3.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace milkyhoop::bench {

class Fts5Baseline {
 public:
  // An FTS5 table in memory (path ":memory:") or in a file; throws std::runtime_error.
  Fts5Baseline(const std::string& path, double title_weight);
  ~Fts5Baseline();
  Fts5Baseline(const Fts5Baseline&) = delete;
  Fts5Baseline& operator=(const Fts5Baseline&) = delete;

  void Begin();
  void Insert(std::int64_t rowid, const std::string& title, const std::string& body);
  void Commit();
  // Row ids of the best `top_k` rows for any of the words of `query`.
  std::vector<std::int64_t> Search(const std::string& query, std::size_t top_k);
  std::int64_t DatabaseBytes();

 private:
  void Exec(const char* sql);

  sqlite3* db_ = nullptr;
  sqlite3_stmt* insert_ = nullptr;
  sqlite3_stmt* search_ = nullptr;
};

}  // namespace milkyhoop::bench
