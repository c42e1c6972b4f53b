#include "fts5_baseline.hpp"

#include <sstream>
#include <stdexcept>

namespace milkyhoop::bench {

Fts5Baseline::Fts5Baseline(const std::string& path, double title_weight) {
  if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) {
    throw std::runtime_error("sqlite3_open: " + std::string(sqlite3_errmsg(db_)));
  }
  Exec("PRAGMA journal_mode=OFF");
  Exec("PRAGMA synchronous=OFF");
  Exec("CREATE VIRTUAL TABLE chunks USING fts5(title, body)");
  if (sqlite3_prepare_v2(db_, "INSERT INTO chunks(rowid, title, body) VALUES (?1, ?2, ?3)", -1,
                         &insert_, nullptr) != SQLITE_OK) {
    throw std::runtime_error("prepare insert: " + std::string(sqlite3_errmsg(db_)));
  }
  const std::string search =
      "SELECT rowid FROM chunks WHERE chunks MATCH ?1 ORDER BY bm25(chunks, " +
      std::to_string(title_weight) + ", 1.0) LIMIT ?2";
  if (sqlite3_prepare_v2(db_, search.c_str(), -1, &search_, nullptr) != SQLITE_OK) {
    throw std::runtime_error("prepare search: " + std::string(sqlite3_errmsg(db_)));
  }
}

Fts5Baseline::~Fts5Baseline() {
  sqlite3_finalize(insert_);
  sqlite3_finalize(search_);
  sqlite3_close(db_);
}

void Fts5Baseline::Exec(const char* sql) {
  char* err = nullptr;
  if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string message = err ? err : "unknown error";
    sqlite3_free(err);
    throw std::runtime_error(std::string(sql) + ": " + message);
  }
}

void Fts5Baseline::Begin() { Exec("BEGIN"); }
void Fts5Baseline::Commit() { Exec("COMMIT"); }

void Fts5Baseline::Insert(std::int64_t rowid, const std::string& title, const std::string& body) {
  sqlite3_bind_int64(insert_, 1, rowid);
  sqlite3_bind_text(insert_, 2, title.data(), static_cast<int>(title.size()), SQLITE_STATIC);
  sqlite3_bind_text(insert_, 3, body.data(), static_cast<int>(body.size()), SQLITE_STATIC);
  const int rc = sqlite3_step(insert_);
  sqlite3_reset(insert_);
  if (rc != SQLITE_DONE) throw std::runtime_error("insert: " + std::string(sqlite3_errmsg(db_)));
}

std::vector<std::int64_t> Fts5Baseline::Search(const std::string& query, std::size_t top_k) {
  // "w1" OR "w2" OR ...: each word quoted, so no word is read as FTS5 syntax.
  std::istringstream words(query);
  std::string word, match;
  while (words >> word) {
    if (!match.empty()) match += " OR ";
    match += '"' + word + '"';
  }
  std::vector<std::int64_t> rows;
  sqlite3_bind_text(search_, 1, match.data(), static_cast<int>(match.size()), SQLITE_TRANSIENT);
  sqlite3_bind_int64(search_, 2, static_cast<sqlite3_int64>(top_k));
  while (sqlite3_step(search_) == SQLITE_ROW) rows.push_back(sqlite3_column_int64(search_, 0));
  sqlite3_reset(search_);
  return rows;
}

std::int64_t Fts5Baseline::DatabaseBytes() {
  sqlite3_stmt* s = nullptr;
  std::int64_t bytes = 0;
  if (sqlite3_prepare_v2(db_,
                         "SELECT page_count * page_size FROM pragma_page_count, pragma_page_size",
                         -1, &s, nullptr) == SQLITE_OK &&
      sqlite3_step(s) == SQLITE_ROW) {
    bytes = sqlite3_column_int64(s, 0);
  }
  sqlite3_finalize(s);
  return bytes;
}

}  // namespace milkyhoop::bench
