#include "aggregates.hpp"

#include "money.hpp"

namespace milkyhoop::business {
namespace {

Status Overflow() { return InvalidField("total", "the day's totals would overflow"); }

}  // namespace

DayDelta DeltaOf(const v1::Transaction& t) {
  DayDelta d;
  if (t.type() == "sale") {
    d.revenue = t.subtotal().amount() - t.discount().amount();  // discount <= subtotal
    d.cogs = t.cost_of_goods_sold().amount();
    d.tax = t.tax().amount();
    d.sales_count = 1;
  } else if (t.type() == "purchase") {
    d.purchases = t.total().amount();
  } else if (t.type() == "expense") {
    d.expenses = t.total().amount();
  }
  return d;
}

DayDelta Negated(const DayDelta& d) {
  // Amounts are >= 0 (validated), so negation cannot overflow.
  return {-d.revenue, -d.cogs, -d.tax, -d.purchases, -d.expenses, -d.sales_count};
}

Status ApplyDayDelta(sql::Session& tx, const BusinessScope& scope, std::int64_t day,
                     const DayDelta& delta) {
  // SQLite would turn an overflowing integer sum into a REAL; PostgreSQL would fail. Check first.
  // On SQLite writers are serialised, so the check is exact; on PostgreSQL a concurrent writer
  // could still push a sum over by the amount of one transaction, which PostgreSQL then refuses.
  MH_ASSIGN_OR_RETURN(sql::Rows rows,
                      tx.Query("SELECT revenue, cogs, tax, purchases, expenses, sales_count "
                               "FROM daily_totals WHERE business_id = $1 AND local_day = $2 "
                               "AND org_id = $3",
                               {scope.business_id, day, scope.org_id}));
  if (!rows.empty()) {
    const std::int64_t current[] = {rows.Int(0, 0), rows.Int(0, 1), rows.Int(0, 2),
                                    rows.Int(0, 3), rows.Int(0, 4), rows.Int(0, 5)};
    const std::int64_t add[] = {delta.revenue,   delta.cogs,     delta.tax,
                                delta.purchases, delta.expenses, delta.sales_count};
    for (int i = 0; i < 6; ++i) {
      if (!CheckedAdd(current[i], add[i])) return Overflow();
    }
  }
  return tx
      .Exec(
          "INSERT INTO daily_totals (org_id, business_id, local_day, revenue, cogs, tax, "
          "purchases, expenses, sales_count) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
          "ON CONFLICT (business_id, local_day) DO UPDATE SET "
          "revenue = daily_totals.revenue + excluded.revenue, "
          "cogs = daily_totals.cogs + excluded.cogs, "
          "tax = daily_totals.tax + excluded.tax, "
          "purchases = daily_totals.purchases + excluded.purchases, "
          "expenses = daily_totals.expenses + excluded.expenses, "
          "sales_count = daily_totals.sales_count + excluded.sales_count",
          {scope.org_id, scope.business_id, day, delta.revenue, delta.cogs, delta.tax,
           delta.purchases, delta.expenses, delta.sales_count})
      .status();
}

Status ApplyProductDelta(sql::Session& tx, const BusinessScope& scope, std::string_view product_id,
                         std::int64_t day, std::int64_t quantity, std::int64_t revenue) {
  MH_ASSIGN_OR_RETURN(
      sql::Rows rows,
      tx.Query("SELECT quantity, revenue FROM product_daily WHERE business_id = $1 AND "
               "product_id = $2 AND local_day = $3 AND org_id = $4",
               {scope.business_id, std::string(product_id), day, scope.org_id}));
  if (!rows.empty() &&
      (!CheckedAdd(rows.Int(0, 0), quantity) || !CheckedAdd(rows.Int(0, 1), revenue))) {
    return Overflow();
  }
  return tx
      .Exec(
          "INSERT INTO product_daily (org_id, business_id, product_id, local_day, "
          "quantity, revenue) VALUES ($1, $2, $3, $4, $5, $6) "
          "ON CONFLICT (business_id, product_id, local_day) DO UPDATE SET "
          "quantity = product_daily.quantity + excluded.quantity, "
          "revenue = product_daily.revenue + excluded.revenue",
          {scope.org_id, scope.business_id, std::string(product_id), day, quantity, revenue})
      .status();
}

}  // namespace milkyhoop::business
