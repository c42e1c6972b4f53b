// Products, their stock ledger and search by name.

#include <charconv>

#include "business_rows.hpp"
#include "business_service_impl.hpp"
#include "milkyhoop/core/ids.hpp"
#include "outbox_events.hpp"
#include "text_fold.hpp"
#include "validation.hpp"

namespace milkyhoop::business {
namespace {

// Stock and adjustments stay far from int64's edge so sums of them cannot overflow.
constexpr std::int64_t kMaxStock = 1'000'000'000'000;
constexpr std::size_t kMaxSearchWords = 5;

std::vector<std::string> SearchWords(std::string_view query) {
  std::vector<std::string> words;
  const std::string norm = NormalizeName(query);
  std::size_t start = 0;
  while (start < norm.size() && words.size() < kMaxSearchWords) {
    std::size_t end = norm.find(' ', start);
    if (end == std::string::npos) end = norm.size();
    words.push_back(norm.substr(start, end - start));
    start = end + 1;
  }
  return words;
}

// The SKU column value: NULL when absent, so products without one do not collide.
sql::Value SkuValue(const std::string& sku) {
  return sku.empty() ? sql::Value(sql::Null) : sql::Value(sku);
}

Status SkuTaken() {
  Status s(StatusCode::kAlreadyExists, "sku: another product of this business has it");
  s.WithField("sku", "another product of this business has it");
  return s;
}

}  // namespace

Result<v1::CreateProductResponse> BusinessServiceImpl::CreateProduct(
    const v1::CreateProductRequest& request) {
  MH_TRY(RequireId("actor_id", request.actor_id()));
  MH_ASSIGN_OR_RETURN(const std::string name,
                      ValidateText("name", request.name(), kMaxNameChars, true));
  MH_ASSIGN_OR_RETURN(const std::string sku,
                      ValidateText("sku", request.sku(), kMaxShortTextChars, false));
  MH_ASSIGN_OR_RETURN(const std::string unit,
                      ValidateText("unit", request.unit(), kMaxShortTextChars, false));
  MH_ASSIGN_OR_RETURN(const std::string category,
                      ValidateText("category", request.category(), kMaxShortTextChars, false));
  MH_ASSIGN_OR_RETURN(
      const std::string description,
      ValidateText("description", request.description(), kMaxLongTextChars, false, true));
  if (request.stock() < 0 || request.stock() > kMaxStock) {
    return InvalidField("stock", "must be between 0 and 1000000000000");
  }
  if (request.min_stock() < 0 || request.min_stock() > kMaxStock) {
    return InvalidField("min_stock", "must be between 0 and 1000000000000");
  }
  if (!request.has_price()) return InvalidField("price", "is required");
  v1::CreateProductResponse out;
  const Status st = db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(tx, request.org_id(), request.business_id()));
    MH_TRY(ValidateMoney("price", request.price(), scope.currency));
    if (request.has_cost()) MH_TRY(ValidateMoney("cost", request.cost(), scope.currency));
    v1::Product& p = *out.mutable_product();
    p.set_id(NewId("prd_"));
    p.set_business_id(scope.business_id);
    p.set_name(name);
    p.set_sku(sku);
    *p.mutable_price() = request.price();
    *p.mutable_cost() = MakeMoney(request.has_cost() ? request.cost().amount() : 0, scope.currency);
    p.set_stock(request.stock());
    p.set_unit(unit.empty() ? "pcs" : unit);
    p.set_min_stock(request.min_stock());
    p.set_category(category);
    p.set_description(description);
    p.set_active(true);
    p.set_created_at_ms(clock_.NowUnixMillis());
    p.set_updated_at_ms(p.created_at_ms());
    MH_TRY(tx.Exec("INSERT INTO products (id, org_id, business_id, name, name_norm, sku, "
                   "currency, price, cost, stock, unit, min_stock, category, description, "
                   "active, created_at_ms, updated_at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, "
                   "$8, $9, $10, $11, $12, $13, $14, 1, $15, $15)",
                   {p.id(), scope.org_id, scope.business_id, p.name(), NormalizeName(p.name()),
                    SkuValue(sku), scope.currency, p.price().amount(), p.cost().amount(), p.stock(),
                    p.unit(), p.min_stock(), p.category(), p.description(), p.created_at_ms()})
               .status());
    if (p.stock() != 0) {
      MH_TRY(AppendStockMovement(tx, scope, p.id(), p.stock(), "opening", "", p.stock(),
                                 request.actor_id(), p.created_at_ms()));
    }
    return AppendProductChanged(tx, scope.org_id, p, false, p.created_at_ms());
  });
  if (st.code() == StatusCode::kAlreadyExists) return SkuTaken();
  MH_TRY(st);
  return out;
}

Result<v1::ListProductsResponse> BusinessServiceImpl::ListProducts(
    const v1::ListProductsRequest& request) {
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  if (request.query().size() > 200) return InvalidField("q", "must be at most 200 bytes");
  const std::vector<std::string> words = SearchWords(request.query());
  v1::ListProductsResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(s, request.org_id(), request.business_id()));
    std::string sql = std::string("SELECT ") + kProductColumns +
                      " FROM products WHERE org_id = $1 AND business_id = $2 "
                      "AND deleted_at_ms IS NULL AND id > $3";
    std::vector<sql::Value> params = {scope.org_id, scope.business_id, request.cursor(),
                                      std::int64_t{limit + 1}};
    // Words are [a-z0-9] only (NormalizeName), so they hold no LIKE wildcards.
    for (const std::string& w : words) {
      params.emplace_back("%" + w + "%");
      sql += " AND name_norm LIKE $" + std::to_string(params.size());
    }
    sql += " ORDER BY id LIMIT $4";
    MH_ASSIGN_OR_RETURN(sql::Rows rows, s.Query(sql, params));
    for (std::size_t r = 0; r < rows.size() && r < static_cast<std::size_t>(limit); ++r) {
      *out.add_items() = ProductFromRow(rows, r);
    }
    if (rows.size() > static_cast<std::size_t>(limit)) {
      out.set_next_cursor(out.items(limit - 1).id());
    }
    return Status::Ok();
  }));
  return out;
}

Result<v1::GetProductResponse> BusinessServiceImpl::GetProduct(
    const v1::GetProductRequest& request) {
  v1::GetProductResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(s, request.org_id(), request.business_id()));
    MH_ASSIGN_OR_RETURN(*out.mutable_product(), LoadProduct(s, scope, request.product_id()));
    return Status::Ok();
  }));
  return out;
}

Result<v1::UpdateProductResponse> BusinessServiceImpl::UpdateProduct(
    const v1::UpdateProductRequest& request) {
  v1::UpdateProductResponse out;
  const Status st = db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(tx, request.org_id(), request.business_id()));
    MH_ASSIGN_OR_RETURN(v1::Product p, LoadProduct(tx, scope, request.product_id()));
    if (request.has_name()) {
      MH_ASSIGN_OR_RETURN(std::string name,
                          ValidateText("name", request.name(), kMaxNameChars, true));
      p.set_name(std::move(name));
    }
    if (request.has_sku()) {
      MH_ASSIGN_OR_RETURN(std::string sku,
                          ValidateText("sku", request.sku(), kMaxShortTextChars, false));
      p.set_sku(std::move(sku));
    }
    if (request.has_price()) {
      MH_TRY(ValidateMoney("price", request.price(), scope.currency));
      *p.mutable_price() = request.price();
    }
    if (request.has_min_stock()) {
      if (request.min_stock() < 0 || request.min_stock() > kMaxStock) {
        return InvalidField("min_stock", "must be between 0 and 1000000000000");
      }
      p.set_min_stock(request.min_stock());
    }
    if (request.has_unit()) {
      MH_ASSIGN_OR_RETURN(std::string unit,
                          ValidateText("unit", request.unit(), kMaxShortTextChars, true));
      p.set_unit(std::move(unit));
    }
    if (request.has_category()) {
      MH_ASSIGN_OR_RETURN(std::string category,
                          ValidateText("category", request.category(), kMaxShortTextChars, false));
      p.set_category(std::move(category));
    }
    if (request.has_description()) {
      MH_ASSIGN_OR_RETURN(
          std::string description,
          ValidateText("description", request.description(), kMaxLongTextChars, false, true));
      p.set_description(std::move(description));
    }
    if (request.has_active()) p.set_active(request.active());
    p.set_updated_at_ms(clock_.NowUnixMillis());
    MH_TRY(tx.Exec("UPDATE products SET name = $1, name_norm = $2, sku = $3, price = $4, "
                   "min_stock = $5, unit = $6, category = $7, description = $8, active = $9, "
                   "updated_at_ms = $10 WHERE id = $11 AND org_id = $12 AND business_id = $13",
                   {p.name(), NormalizeName(p.name()), SkuValue(p.sku()), p.price().amount(),
                    p.min_stock(), p.unit(), p.category(), p.description(),
                    std::int64_t{p.active() ? 1 : 0}, p.updated_at_ms(), p.id(), scope.org_id,
                    scope.business_id})
               .status());
    MH_TRY(AppendProductChanged(tx, scope.org_id, p, false, p.updated_at_ms()));
    *out.mutable_product() = std::move(p);
    return Status::Ok();
  });
  if (st.code() == StatusCode::kAlreadyExists) return SkuTaken();
  MH_TRY(st);
  return out;
}

Result<v1::DeleteProductResponse> BusinessServiceImpl::DeleteProduct(
    const v1::DeleteProductRequest& request) {
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(tx, request.org_id(), request.business_id()));
    MH_TRY(RequireId("product_id", request.product_id()));
    // Soft delete: past transactions and the ledger keep pointing at the row. The SKU is
    // released so a replacement product can take it.
    const std::int64_t now = clock_.NowUnixMillis();
    MH_ASSIGN_OR_RETURN(
        const std::int64_t changed,
        tx.Exec("UPDATE products SET deleted_at_ms = $1, sku = NULL, active = 0 "
                "WHERE id = $2 AND org_id = $3 AND business_id = $4 AND deleted_at_ms IS NULL",
                {now, request.product_id(), scope.org_id, scope.business_id}));
    if (changed == 0) return NotFound("product not found");
    v1::Product gone;
    gone.set_id(request.product_id());
    gone.set_business_id(scope.business_id);
    return AppendProductChanged(tx, scope.org_id, gone, true, now);
  }));
  return v1::DeleteProductResponse();
}

Result<v1::AdjustStockResponse> BusinessServiceImpl::AdjustStock(
    const v1::AdjustStockRequest& request) {
  MH_TRY(RequireId("actor_id", request.actor_id()));
  if (request.delta() == 0 || request.delta() < -kMaxStock || request.delta() > kMaxStock) {
    return InvalidField("delta",
                        "must be a non-zero integer between -1000000000000 and "
                        "1000000000000");
  }
  MH_ASSIGN_OR_RETURN(const std::string reason,
                      ValidateText("reason", request.reason(), 200, true));
  v1::AdjustStockResponse out;
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(tx, request.org_id(), request.business_id()));
    MH_ASSIGN_OR_RETURN(v1::Product p, LoadProduct(tx, scope, request.product_id()));
    const std::int64_t now = clock_.NowUnixMillis();
    // Conditional, so two concurrent removals cannot both pass a check made before either.
    std::string sql =
        "UPDATE products SET stock = stock + $1, updated_at_ms = $2 WHERE id = $3 AND "
        "org_id = $4 AND business_id = $5 AND stock + $1 <= $6";
    if (request.delta() < 0 && !scope.allow_negative_stock) sql += " AND stock + $1 >= 0";
    MH_ASSIGN_OR_RETURN(
        const std::int64_t changed,
        tx.Exec(sql, {request.delta(), now, p.id(), scope.org_id, scope.business_id, kMaxStock}));
    if (changed == 0) {
      if (request.delta() > 0) return InvalidField("delta", "stock would exceed 1000000000000");
      return FailedPrecondition("not enough stock of " + p.name() + " to remove " +
                                std::to_string(-request.delta()));
    }
    MH_ASSIGN_OR_RETURN(*out.mutable_product(), LoadProduct(tx, scope, p.id()));
    return AppendStockMovement(tx, scope, p.id(), request.delta(), reason, "",
                               out.product().stock(), request.actor_id(), now,
                               out.mutable_adjustment());
  }));
  return out;
}

Result<v1::ListStockAdjustmentsResponse> BusinessServiceImpl::ListStockAdjustments(
    const v1::ListStockAdjustmentsRequest& request) {
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  // The cursor is the ledger position (seq) of the last movement of the previous page.
  std::int64_t after_seq = 0;
  if (!request.cursor().empty()) {
    const std::string& c = request.cursor();
    auto [ptr, ec] = std::from_chars(c.data(), c.data() + c.size(), after_seq);
    if (ec != std::errc() || ptr != c.data() + c.size() || after_seq < 0) {
      return InvalidField("cursor", "is not a cursor of this list");
    }
  }
  v1::ListStockAdjustmentsResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(s, request.org_id(), request.business_id()));
    MH_TRY(LoadProduct(s, scope, request.product_id()).status());
    MH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        s.Query("SELECT id, product_id, delta, reason, transaction_id, stock_after, created_by, "
                "created_at_ms, seq FROM stock_movements WHERE org_id = $1 AND business_id = $2 "
                "AND product_id = $3 AND seq > $4 ORDER BY seq LIMIT $5",
                {scope.org_id, scope.business_id, request.product_id(), after_seq,
                 std::int64_t{limit + 1}}));
    for (std::size_t r = 0; r < rows.size() && r < static_cast<std::size_t>(limit); ++r) {
      v1::StockAdjustment* a = out.add_items();
      a->set_id(rows.Text(r, 0));
      a->set_product_id(rows.Text(r, 1));
      a->set_delta(rows.Int(r, 2));
      a->set_reason(rows.Text(r, 3));
      a->set_transaction_id(rows.Text(r, 4));
      a->set_stock_after(rows.Int(r, 5));
      a->set_created_by(rows.Text(r, 6));
      a->set_created_at_ms(rows.Int(r, 7));
    }
    if (rows.size() > static_cast<std::size_t>(limit)) {
      out.set_next_cursor(std::to_string(rows.Int(static_cast<std::size_t>(limit) - 1, 8)));
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace milkyhoop::business
