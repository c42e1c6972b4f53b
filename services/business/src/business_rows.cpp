#include "business_rows.hpp"

#include "local_time.hpp"
#include "milkyhoop/core/ids.hpp"
#include "validation.hpp"

namespace milkyhoop::business {

const char kBusinessColumns[] =
    "id, org_id, name, slug, description, category, address, phone, opening_hours, language, "
    "currency, time_zone, allow_negative_stock, created_by, created_at_ms, updated_at_ms";

const char kProductColumns[] =
    "id, business_id, name, sku, currency, price, cost, stock, unit, min_stock, category, "
    "description, active, created_at_ms, updated_at_ms";

Status RequireId(std::string_view field, std::string_view id) {
  if (id.empty()) return InvalidField(std::string(field), "is required");
  if (id.size() > 64) return InvalidField(std::string(field), "is not a valid id");
  return Status::Ok();
}

Result<BusinessScope> LoadScope(sql::Session& session, std::string_view org_id,
                                std::string_view business_id) {
  MH_TRY(RequireId("org_id", org_id));
  MH_TRY(RequireId("business_id", business_id));
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      session.Query("SELECT currency, time_zone, allow_negative_stock FROM businesses "
                    "WHERE id = $1 AND org_id = $2 AND deleted_at_ms IS NULL",
                    {std::string(business_id), std::string(org_id)}));
  if (rows.empty()) return NotFound("business not found");
  BusinessScope scope;
  scope.org_id = std::string(org_id);
  scope.business_id = std::string(business_id);
  scope.currency = rows.Text(0, 0);
  scope.utc_offset_minutes = UtcOffsetMinutes(rows.Text(0, 1)).value_or(7 * 60);
  scope.allow_negative_stock = rows.Int(0, 2) != 0;
  return scope;
}

v1::Money MakeMoney(std::int64_t amount, std::string_view currency) {
  v1::Money m;
  m.set_amount(amount);
  m.set_currency(std::string(currency));
  return m;
}

v1::Business BusinessFromRow(const sql::Rows& rows, std::size_t r) {
  v1::Business b;
  b.set_id(rows.Text(r, 0));
  b.set_org_id(rows.Text(r, 1));
  b.set_name(rows.Text(r, 2));
  b.set_slug(rows.Text(r, 3));
  b.set_description(rows.Text(r, 4));
  b.set_category(rows.Text(r, 5));
  b.set_address(rows.Text(r, 6));
  b.set_phone(rows.Text(r, 7));
  DecodeOpeningHours(rows.Text(r, 8), b.mutable_opening_hours());
  b.set_language(rows.Text(r, 9));
  b.set_currency(rows.Text(r, 10));
  b.set_time_zone(rows.Text(r, 11));
  b.set_allow_negative_stock(rows.Int(r, 12) != 0);
  b.set_created_by(rows.Text(r, 13));
  b.set_created_at_ms(rows.Int(r, 14));
  b.set_updated_at_ms(rows.Int(r, 15));
  return b;
}

v1::Product ProductFromRow(const sql::Rows& rows, std::size_t r) {
  v1::Product p;
  p.set_id(rows.Text(r, 0));
  p.set_business_id(rows.Text(r, 1));
  p.set_name(rows.Text(r, 2));
  p.set_sku(rows.Text(r, 3));
  const std::string currency = rows.Text(r, 4);
  *p.mutable_price() = MakeMoney(rows.Int(r, 5), currency);
  *p.mutable_cost() = MakeMoney(rows.Int(r, 6), currency);
  p.set_stock(rows.Int(r, 7));
  p.set_unit(rows.Text(r, 8));
  p.set_min_stock(rows.Int(r, 9));
  p.set_category(rows.Text(r, 10));
  p.set_description(rows.Text(r, 11));
  p.set_active(rows.Int(r, 12) != 0);
  p.set_created_at_ms(rows.Int(r, 13));
  p.set_updated_at_ms(rows.Int(r, 14));
  return p;
}

Result<v1::Product> LoadProduct(sql::Session& session, const BusinessScope& scope,
                                std::string_view product_id) {
  MH_TRY(RequireId("product_id", product_id));
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      session.Query(std::string("SELECT ") + kProductColumns +
                        " FROM products WHERE id = $1 AND org_id = $2 AND business_id = $3 "
                        "AND deleted_at_ms IS NULL",
                    {std::string(product_id), scope.org_id, scope.business_id}));
  if (rows.empty()) return NotFound("product not found");
  return ProductFromRow(rows, 0);
}

Result<v1::Transaction> LoadTransaction(sql::Session& session, std::string_view org_id,
                                        std::string_view transaction_id) {
  MH_TRY(RequireId("org_id", org_id));
  MH_TRY(RequireId("transaction_id", transaction_id));
  // The business must be live too: a deleted business's transactions are gone for callers.
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      session.Query(
          "SELECT t.id, t.business_id, t.type, t.currency, t.subtotal, t.discount, t.tax, "
          "t.total, t.cogs, t.payment_method, t.paid, t.note, t.customer_id, t.occurred_at_ms, "
          "t.status, t.reversal_id, t.reverses_id, t.created_by, t.created_at_ms, "
          "t.voided_at_ms FROM transactions t JOIN businesses b ON b.id = t.business_id "
          "WHERE t.id = $1 AND t.org_id = $2 AND b.org_id = $2 AND b.deleted_at_ms IS NULL",
          {std::string(transaction_id), std::string(org_id)}));
  if (rows.empty()) return NotFound("transaction not found");
  v1::Transaction t;
  const std::string currency = rows.Text(0, 3);
  t.set_id(rows.Text(0, 0));
  t.set_business_id(rows.Text(0, 1));
  t.set_type(rows.Text(0, 2));
  *t.mutable_subtotal() = MakeMoney(rows.Int(0, 4), currency);
  *t.mutable_discount() = MakeMoney(rows.Int(0, 5), currency);
  *t.mutable_tax() = MakeMoney(rows.Int(0, 6), currency);
  *t.mutable_total() = MakeMoney(rows.Int(0, 7), currency);
  *t.mutable_cost_of_goods_sold() = MakeMoney(rows.Int(0, 8), currency);
  t.set_payment_method(rows.Text(0, 9));
  t.set_paid(rows.Int(0, 10) != 0);
  t.set_note(rows.Text(0, 11));
  t.set_customer_id(rows.Text(0, 12));
  t.set_occurred_at_ms(rows.Int(0, 13));
  t.set_status(rows.Text(0, 14));
  t.set_reversal_id(rows.Text(0, 15));
  t.set_reverses_id(rows.Text(0, 16));
  t.set_created_by(rows.Text(0, 17));
  t.set_created_at_ms(rows.Int(0, 18));
  t.set_voided_at_ms(rows.Int(0, 19));
  MH_ASSIGN_OR_RETURN(
      sql::Rows items,
      session.Query("SELECT product_id, name, quantity, unit_price, line_total "
                    "FROM transaction_items WHERE transaction_id = $1 AND org_id = $2 "
                    "ORDER BY position",
                    {std::string(transaction_id), std::string(org_id)}));
  for (std::size_t r = 0; r < items.size(); ++r) {
    v1::TransactionItem* item = t.add_items();
    item->set_product_id(items.Text(r, 0));
    item->set_name(items.Text(r, 1));
    item->set_quantity(items.Int(r, 2));
    *item->mutable_unit_price() = MakeMoney(items.Int(r, 3), currency);
    *item->mutable_line_total() = MakeMoney(items.Int(r, 4), currency);
  }
  return t;
}

Status AppendStockMovement(sql::Session& tx, const BusinessScope& scope,
                           std::string_view product_id, std::int64_t delta, std::string_view reason,
                           std::string_view transaction_id, std::int64_t stock_after,
                           std::string_view actor_id, std::int64_t now_ms,
                           v1::StockAdjustment* out) {
  const std::string id = NewId("stk_");
  // Callers have updated the product row in this transaction, so they hold its lock and no one
  // else numbers this product's movements until they commit.
  MH_TRY(tx.Exec("INSERT INTO stock_movements (id, seq, org_id, business_id, product_id, delta, "
                 "reason, transaction_id, stock_after, created_by, created_at_ms) "
                 "SELECT $1, COALESCE(MAX(seq), 0) + 1, $2, $3, $4, $5, $6, $7, $8, $9, $10 "
                 "FROM stock_movements WHERE product_id = $4",
                 {id, scope.org_id, scope.business_id, std::string(product_id), delta,
                  std::string(reason),
                  transaction_id.empty() ? sql::Value(sql::Null)
                                         : sql::Value(std::string(transaction_id)),
                  stock_after, std::string(actor_id), now_ms})
             .status());
  if (out != nullptr) {
    out->set_id(id);
    out->set_product_id(std::string(product_id));
    out->set_delta(delta);
    out->set_reason(std::string(reason));
    out->set_transaction_id(std::string(transaction_id));
    out->set_stock_after(stock_after);
    out->set_created_by(std::string(actor_id));
    out->set_created_at_ms(now_ms);
  }
  return Status::Ok();
}

}  // namespace milkyhoop::business
