// VoidTransaction: a reversal transaction, the stock put back, the aggregates of the original's
// day corrected — one database transaction.
//
// Why the original's day: a voided sale is a sale that did not happen (a mistake, a cancelled
// order), so the reports of the day it was recorded on must stop counting it. The reversal row
// keeps when and by whom it was voided.

#include <algorithm>
#include <numeric>

#include "aggregates.hpp"
#include "business_rows.hpp"
#include "business_service_impl.hpp"
#include "local_time.hpp"
#include "milkyhoop/core/ids.hpp"
#include "money.hpp"
#include "validation.hpp"

namespace milkyhoop::business {

// transactions_post.cpp
Status InsertTransaction(sql::Session& tx, const BusinessScope& scope, const v1::Transaction& t,
                         const std::vector<std::int64_t>& unit_costs);
Status AppendTransactionEvent(sql::Session& tx, const BusinessScope& scope,
                              const v1::Transaction& t, std::int64_t now_ms);
Status AppendVoidedEvent(sql::Session& tx, const BusinessScope& scope, const v1::Transaction& t,
                         std::int64_t now_ms);

namespace {

v1::Money Negate(const v1::Money& m) { return MakeMoney(-m.amount(), m.currency()); }

}  // namespace

Result<v1::VoidTransactionResponse> BusinessServiceImpl::VoidTransaction(
    const v1::VoidTransactionRequest& request) {
  MH_TRY(RequireId("actor_id", request.actor_id()));
  MH_ASSIGN_OR_RETURN(const std::string reason,
                      ValidateText("reason", request.reason(), 200, false));
  v1::VoidTransactionResponse out;
  MH_TRY(db_.Transaction([&](sql::Session& tx) -> Status {
    MH_ASSIGN_OR_RETURN(v1::Transaction t,
                        LoadTransaction(tx, request.org_id(), request.transaction_id()));
    if (t.type() == "void") return FailedPrecondition("a reversal cannot be voided");
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(tx, request.org_id(), t.business_id()));
    const std::int64_t now = clock_.NowUnixMillis();
    const std::string reversal_id = NewId("txn_");
    // Claims the transaction first: of two concurrent voids exactly one changes the row.
    MH_ASSIGN_OR_RETURN(
        const std::int64_t claimed,
        tx.Exec("UPDATE transactions SET status = 'voided', reversal_id = $1, voided_at_ms = $2 "
                "WHERE id = $3 AND org_id = $4 AND status = 'posted'",
                {reversal_id, now, t.id(), scope.org_id}));
    if (claimed == 0) return FailedPrecondition("the transaction is already voided");
    t.set_status("voided");
    t.set_reversal_id(reversal_id);
    t.set_voided_at_ms(now);

    MH_ASSIGN_OR_RETURN(sql::Rows costs,
                        tx.Query("SELECT unit_cost FROM transaction_items WHERE "
                                 "transaction_id = $1 AND org_id = $2 ORDER BY position",
                                 {t.id(), scope.org_id}));
    std::vector<std::int64_t> unit_costs;
    for (std::size_t r = 0; r < costs.size(); ++r) unit_costs.push_back(costs.Int(r, 0));
    unit_costs.resize(static_cast<std::size_t>(t.items_size()), 0);

    // Stock back, in product-id order (see PostInTransaction).
    std::vector<int> order(static_cast<std::size_t>(t.items_size()));
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) {
      return t.items(a).product_id() < t.items(b).product_id();
    });
    for (const int i : order) {
      const v1::TransactionItem& item = t.items(i);
      if (item.product_id().empty() || t.type() == "expense") continue;
      const std::int64_t q = item.quantity();
      const std::int64_t unit_cost = unit_costs[static_cast<std::size_t>(i)];
      const bool sale = t.type() == "sale";
      // A deleted product still gets its stock back: the ledger must keep adding up.
      std::string sql =
          "UPDATE products SET stock = stock + $1, updated_at_ms = $2 "
          "WHERE id = $3 AND org_id = $4 AND business_id = $5";
      if (!sale && !scope.allow_negative_stock) sql += " AND stock + $1 >= 0";
      MH_ASSIGN_OR_RETURN(
          const std::int64_t changed,
          tx.Exec(sql, {sale ? q : -q, now, item.product_id(), scope.org_id, scope.business_id}));
      if (changed == 0) {
        return FailedPrecondition("voiding this purchase would take the stock of " + item.name() +
                                  " below zero");
      }
      MH_ASSIGN_OR_RETURN(sql::Rows after,
                          tx.Query("SELECT stock, cost FROM products WHERE id = $1 AND "
                                   "org_id = $2",
                                   {item.product_id(), scope.org_id}));
      const std::int64_t stock = after.Int(0, 0), avg = after.Int(0, 1);
      // Goods coming back re-enter at the cost they left with; goods bought by mistake leave at
      // the price they came in at.
      const std::int64_t new_avg = sale ? MovingAverageCost(stock - q, avg, q, unit_cost)
                                        : AverageCostWithout(stock + q, avg, q, unit_cost);
      MH_TRY(tx.Exec("UPDATE products SET cost = $1 WHERE id = $2 AND org_id = $3",
                     {new_avg, item.product_id(), scope.org_id})
                 .status());
      MH_TRY(AppendStockMovement(tx, scope, item.product_id(), sale ? q : -q, "void", reversal_id,
                                 stock, request.actor_id(), now));
    }

    v1::Transaction& rev = *out.mutable_reversal();
    rev.set_id(reversal_id);
    rev.set_business_id(t.business_id());
    rev.set_type("void");
    rev.set_status("posted");
    rev.set_reverses_id(t.id());
    rev.set_payment_method(t.payment_method());
    rev.set_paid(t.paid());
    rev.set_note(reason);
    rev.set_customer_id(t.customer_id());
    rev.set_occurred_at_ms(now);
    rev.set_created_by(request.actor_id());
    rev.set_created_at_ms(now);
    *rev.mutable_subtotal() = Negate(t.subtotal());
    *rev.mutable_discount() = Negate(t.discount());
    *rev.mutable_tax() = Negate(t.tax());
    *rev.mutable_total() = Negate(t.total());
    *rev.mutable_cost_of_goods_sold() = Negate(t.cost_of_goods_sold());
    for (const v1::TransactionItem& item : t.items()) {
      v1::TransactionItem* r = rev.add_items();
      *r = item;
      r->set_quantity(-item.quantity());
      *r->mutable_line_total() = Negate(item.line_total());
    }
    MH_TRY(InsertTransaction(tx, scope, rev, unit_costs));

    const std::int64_t day = LocalDay(t.occurred_at_ms(), scope.utc_offset_minutes);
    MH_TRY(ApplyDayDelta(tx, scope, day, Negated(DeltaOf(t))));
    if (t.type() == "sale") {
      for (const v1::TransactionItem& item : t.items()) {
        if (item.product_id().empty()) continue;
        MH_TRY(ApplyProductDelta(tx, scope, item.product_id(), day, -item.quantity(),
                                 -item.line_total().amount()));
      }
    }
    MH_TRY(AppendTransactionEvent(tx, scope, rev, now));
    MH_TRY(AppendVoidedEvent(tx, scope, t, now));
    *out.mutable_transaction() = std::move(t);
    return Status::Ok();
  }));
  return out;
}

}  // namespace milkyhoop::business
