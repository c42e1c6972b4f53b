#include "milkyhoop/security/rewrap_sealed.hpp"

#include <vector>

#include "milkyhoop/crypto/envelope.hpp"

namespace milkyhoop::security {
namespace {

std::string Where(const SealedColumn& c, const std::string& key) {
  return std::string(c.table) + "." + std::string(c.column) + " of " + key;
}

}  // namespace

Result<RewrapTally> RewrapSealedColumn(sql::Database& db, SecurityService& security,
                                       const SealedColumn& c, std::size_t batch) {
  // Identifiers come from the services' own constant lists, never from input.
  const std::string select = "SELECT " + std::string(c.key) + ", " + std::string(c.column) +
                             " FROM " + std::string(c.table) + " WHERE " + std::string(c.key) +
                             " > $1 ORDER BY " + std::string(c.key) + " LIMIT " +
                             std::to_string(batch);
  const std::string update = "UPDATE " + std::string(c.table) + " SET " + std::string(c.column) +
                             " = $1 WHERE " + std::string(c.key) + " = $2 AND " +
                             std::string(c.column) + " = $3";
  RewrapTally tally;
  std::string after;
  while (true) {
    std::vector<std::pair<std::string, std::string>> rows;
    MH_TRY(db.Read([&](sql::Session& s) -> Status {
      MH_ASSIGN_OR_RETURN(sql::Rows r, s.Query(select, {after}));
      for (std::size_t i = 0; i < r.size(); ++i) {
        rows.emplace_back(r.Text(i, 0), r.OptText(i, 1).value_or(""));
      }
      return Status::Ok();
    }));
    for (const auto& [key, sealed] : rows) {
      if (sealed.empty()) continue;
      ++tally.examined;
      v1::RewrapRequest req;
      req.set_sealed(sealed);
      auto fresh = security.Rewrap(req);
      if (!fresh.ok()) {
        return Status(fresh.status().code(),
                      "cannot re-wrap " + Where(c, key) + ": " + fresh.status().message());
      }
      std::string now = fresh->sealed();
      if (now != sealed) {
        std::int64_t changed = 0;
        MH_TRY(db.Transaction([&](sql::Session& tx) -> Status {
          MH_ASSIGN_OR_RETURN(changed, tx.Exec(update, {now, key, sealed}));
          return Status::Ok();
        }));
        if (changed == 1) {
          ++tally.rewrapped;
        } else {
          // Rewritten meanwhile by the service itself, sealed afresh: read what is there now.
          MH_TRY(db.Read([&](sql::Session& s) -> Status {
            MH_ASSIGN_OR_RETURN(sql::Rows r, s.Query("SELECT " + std::string(c.column) + " FROM " +
                                                         std::string(c.table) + " WHERE " +
                                                         std::string(c.key) + " = $1",
                                                     {key}));
            now = r.size() == 1 ? r.OptText(0, 0).value_or("") : "";
            return Status::Ok();
          }));
          if (now.empty()) continue;
        }
      }
      auto id = crypto::Envelope::MasterKeyIdOf(now);
      ++tally.by_master_key[id.ok() ? *id : std::string("?")];
    }
    if (rows.size() < batch) break;
    after = rows.back().first;
  }
  return tally;
}

}  // namespace milkyhoop::security
