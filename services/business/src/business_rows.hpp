#pragma once
// What several calls share: the live business a call is scoped to, and the mapping between rows
// and messages. Every query here filters by org_id, the tenant.

#include <cstdint>
#include <string>
#include <string_view>

#include "milkyhoop/business/v1/business.pb.h"
#include "milkyhoop/core/status.hpp"
#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::business {

// The settings of a live (not deleted) business that calls under it need.
struct BusinessScope {
  std::string org_id;
  std::string business_id;
  std::string currency;
  int utc_offset_minutes = 0;
  bool allow_negative_stock = false;
};

// kNotFound unless business_id is a live business of org_id; kInvalidArgument naming the field
// when either id is empty.
Result<BusinessScope> LoadScope(sql::Session& session, std::string_view org_id,
                                std::string_view business_id);

v1::Money MakeMoney(std::int64_t amount, std::string_view currency);

// "id, org_id, name, ..." and the message of row r of a query selecting exactly those.
extern const char kBusinessColumns[];
v1::Business BusinessFromRow(const sql::Rows& rows, std::size_t r);
extern const char kProductColumns[];
v1::Product ProductFromRow(const sql::Rows& rows, std::size_t r);

// A product of the business, live.
Result<v1::Product> LoadProduct(sql::Session& session, const BusinessScope& scope,
                                std::string_view product_id);

// A transaction of org_id with its items; kNotFound otherwise.
Result<v1::Transaction> LoadTransaction(sql::Session& session, std::string_view org_id,
                                        std::string_view transaction_id);

// Appends a ledger row.
Status AppendStockMovement(sql::Session& tx, const BusinessScope& scope,
                           std::string_view product_id, std::int64_t delta, std::string_view reason,
                           std::string_view transaction_id, std::int64_t stock_after,
                           std::string_view actor_id, std::int64_t now_ms,
                           v1::StockAdjustment* out = nullptr);

// Required ids: kInvalidArgument naming `field` when empty or longer than 64 bytes.
Status RequireId(std::string_view field, std::string_view id);

}  // namespace milkyhoop::business
