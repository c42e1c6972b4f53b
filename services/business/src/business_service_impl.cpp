#include "business_service_impl.hpp"

#include <span>

#include "business_rows.hpp"
#include "milkyhoop/business/business_factory.hpp"
#include "milkyhoop/sql/migration.hpp"

namespace milkyhoop::business {

// Generated from migrations/ by mh_embed_migrations (cmake).
std::span<const sql::MigrationFile> Migrations();

// Out of line so the vtable is emitted once, in mh_business.
BusinessService::~BusinessService() = default;

Status RetryOnConflict(int attempts, const std::function<Status()>& fn) {
  Status st;
  for (int i = 0; i < attempts; ++i) {
    st = fn();
    if (st.code() != StatusCode::kAlreadyExists && st.code() != StatusCode::kAborted) return st;
  }
  return st;
}

Status MigrateBusinessDatabase(sql::Database& db) {
  return sql::Migrate(db, "business", Migrations());
}

std::unique_ptr<BusinessService> MakeBusinessService(sql::Database& db,
                                                     security::SecurityService& security,
                                                     const Clock& clock) {
  return std::make_unique<BusinessServiceImpl>(db, security, clock);
}

Result<v1::LocateResponse> BusinessServiceImpl::Locate(const v1::LocateRequest& request) {
  const int given =
      !request.business_id().empty() + !request.transaction_id().empty() + !request.slug().empty();
  if (given != 1) {
    return InvalidField("business_id",
                        "exactly one of business_id, transaction_id and slug is needed");
  }
  const bool by_transaction = !request.transaction_id().empty();
  const char* not_found = by_transaction ? "transaction not found" : "business not found";
  if (request.business_id().size() > 64 || request.transaction_id().size() > 64 ||
      request.slug().size() > 100) {
    return NotFound(not_found);
  }
  v1::LocateResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    sql::Rows rows;
    if (!request.business_id().empty()) {
      MH_ASSIGN_OR_RETURN(rows, s.Query("SELECT org_id, id FROM businesses "
                                        "WHERE id = $1 AND deleted_at_ms IS NULL",
                                        {request.business_id()}));
    } else if (!request.slug().empty()) {
      MH_ASSIGN_OR_RETURN(rows, s.Query("SELECT org_id, id FROM businesses "
                                        "WHERE slug = $1 AND deleted_at_ms IS NULL",
                                        {request.slug()}));
    } else {
      MH_ASSIGN_OR_RETURN(rows, s.Query("SELECT b.org_id, b.id FROM transactions t "
                                        "JOIN businesses b ON b.id = t.business_id "
                                        "WHERE t.id = $1 AND b.org_id = t.org_id "
                                        "AND b.deleted_at_ms IS NULL",
                                        {request.transaction_id()}));
    }
    if (rows.empty()) return NotFound(not_found);
    out.set_org_id(rows.Text(0, 0));
    out.set_business_id(rows.Text(0, 1));
    return Status::Ok();
  }));
  return out;
}

}  // namespace milkyhoop::business
