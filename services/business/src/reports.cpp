// Reports, answered from the aggregates (aggregates.hpp): a year of profit and loss reads at
// most 366 rows of daily_totals through its primary key, however many transactions there are.

#include <map>

#include "business_rows.hpp"
#include "business_service_impl.hpp"
#include "local_time.hpp"
#include "money.hpp"
#include "validation.hpp"

namespace milkyhoop::business {
namespace {

constexpr std::int64_t kMaxRangeDays = 3660;  // ten years

struct DayRange {
  std::int64_t from = 0;
  std::int64_t to = 0;
};

// from/to inclusive; defaults: to = today, from = the first day of to's month.
Result<DayRange> ParseRange(const v1::ReportRange& range, const BusinessScope& scope,
                            const Clock& clock) {
  DayRange out;
  const std::int64_t today = LocalDay(clock.NowUnixMillis(), scope.utc_offset_minutes);
  if (range.to().empty()) {
    out.to = today;
  } else if (auto to = ParseDate(range.to())) {
    out.to = *to;
  } else {
    return InvalidField("to", "must be a date YYYY-MM-DD");
  }
  if (range.from().empty()) {
    out.from = MonthStart(out.to);
  } else if (auto from = ParseDate(range.from())) {
    out.from = *from;
  } else {
    return InvalidField("from", "must be a date YYYY-MM-DD");
  }
  if (out.from > out.to) return InvalidField("from", "must not be after to");
  if (out.to - out.from >= kMaxRangeDays) return InvalidField("from", "range over ten years");
  return out;
}

Result<std::int64_t> Sub(std::int64_t a, std::int64_t b) {
  auto d = CheckedSub(a, b);
  if (!d) return Status(StatusCode::kOutOfRange, "report figure exceeds 64 bits");
  return *d;
}

}  // namespace

Result<v1::ProfitLossResponse> BusinessServiceImpl::ProfitLoss(
    const v1::ProfitLossRequest& request) {
  v1::ProfitLossResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(s, request.range().org_id(), request.range().business_id()));
    MH_ASSIGN_OR_RETURN(const DayRange range, ParseRange(request.range(), scope, clock_));
    MH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        s.Query("SELECT COALESCE(SUM(revenue), 0), COALESCE(SUM(cogs), 0), "
                "COALESCE(SUM(expenses), 0), COALESCE(SUM(tax), 0), COALESCE(SUM(purchases), 0) "
                "FROM daily_totals WHERE business_id = $1 AND org_id = $2 AND local_day >= $3 "
                "AND local_day <= $4",
                {scope.business_id, scope.org_id, range.from, range.to}));
    const std::int64_t revenue = rows.Int(0, 0), cogs = rows.Int(0, 1), expenses = rows.Int(0, 2);
    MH_ASSIGN_OR_RETURN(const std::int64_t gross, Sub(revenue, cogs));
    MH_ASSIGN_OR_RETURN(const std::int64_t net, Sub(gross, expenses));
    const std::string& c = scope.currency;
    *out.mutable_revenue() = MakeMoney(revenue, c);
    *out.mutable_cost_of_goods_sold() = MakeMoney(cogs, c);
    *out.mutable_gross_profit() = MakeMoney(gross, c);
    *out.mutable_expenses() = MakeMoney(expenses, c);
    *out.mutable_net_profit() = MakeMoney(net, c);
    *out.mutable_tax_collected() = MakeMoney(rows.Int(0, 3), c);
    *out.mutable_purchases() = MakeMoney(rows.Int(0, 4), c);
    return Status::Ok();
  }));
  return out;
}

Result<v1::SalesReportResponse> BusinessServiceImpl::SalesReport(
    const v1::SalesReportRequest& request) {
  const std::string group = request.group_by().empty() ? "day" : request.group_by();
  if (group != "day" && group != "week" && group != "month") {
    return InvalidField("group_by", "must be day, week or month");
  }
  v1::SalesReportResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(s, request.range().org_id(), request.range().business_id()));
    MH_ASSIGN_OR_RETURN(const DayRange range, ParseRange(request.range(), scope, clock_));
    MH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        s.Query("SELECT local_day, revenue, sales_count FROM daily_totals WHERE business_id = $1 "
                "AND org_id = $2 AND local_day >= $3 AND local_day <= $4 ORDER BY local_day",
                {scope.business_id, scope.org_id, range.from, range.to}));
    auto period_of = [&](std::int64_t day) {
      if (group == "week") return WeekStart(day);
      if (group == "month") return MonthStart(day);
      return day;
    };
    // Every period of the range, empty ones included, so a chart needs no gap filling.
    std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> periods;
    for (std::int64_t d = range.from; d <= range.to; ++d) periods[period_of(d)];
    for (std::size_t r = 0; r < rows.size(); ++r) {
      auto& [revenue, count] = periods[period_of(rows.Int(r, 0))];
      auto sum = CheckedAdd(revenue, rows.Int(r, 1));
      if (!sum) return Status(StatusCode::kOutOfRange, "report figure exceeds 64 bits");
      revenue = *sum;
      count += rows.Int(r, 2);
    }
    for (const auto& [start, figures] : periods) {
      v1::SalesPeriod* p = out.add_series();
      p->set_period(group == "month" ? FormatMonth(start) : FormatDate(start));
      *p->mutable_revenue() = MakeMoney(figures.first, scope.currency);
      p->set_transactions(figures.second);
    }
    return Status::Ok();
  }));
  return out;
}

Result<v1::TopProductsResponse> BusinessServiceImpl::TopProducts(
    const v1::TopProductsRequest& request) {
  int limit = request.limit() == 0 ? 10 : request.limit();
  if (limit < 1 || limit > kMaxPageSize) return InvalidField("limit", "must be between 1 and 200");
  v1::TopProductsResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(s, request.range().org_id(), request.range().business_id()));
    MH_ASSIGN_OR_RETURN(const DayRange range, ParseRange(request.range(), scope, clock_));
    // The slowest include active products that did not sell at all; the top only those that did.
    const std::string filter =
        request.ascending() ? "AND p.active = 1" : "AND COALESCE(s.quantity, 0) > 0";
    const std::string order =
        request.ascending() ? "ORDER BY 3 ASC, 4 ASC, 1" : "ORDER BY 3 DESC, 4 DESC, 1";
    MH_ASSIGN_OR_RETURN(
        sql::Rows rows,
        s.Query("SELECT p.id, p.name, COALESCE(s.quantity, 0), COALESCE(s.revenue, 0) "
                "FROM products p LEFT JOIN (SELECT product_id, SUM(quantity) AS quantity, "
                "SUM(revenue) AS revenue FROM product_daily WHERE business_id = $1 AND "
                "org_id = $2 AND local_day >= $3 AND local_day <= $4 GROUP BY product_id) s "
                "ON s.product_id = p.id WHERE p.business_id = $1 AND p.org_id = $2 AND "
                "p.deleted_at_ms IS NULL " +
                    filter + " " + order + " LIMIT $5",
                {scope.business_id, scope.org_id, range.from, range.to, std::int64_t{limit}}));
    for (std::size_t r = 0; r < rows.size(); ++r) {
      v1::ProductSales* p = out.add_items();
      p->set_product_id(rows.Text(r, 0));
      p->set_name(rows.Text(r, 1));
      p->set_quantity(rows.Int(r, 2));
      *p->mutable_revenue() = MakeMoney(rows.Int(r, 3), scope.currency);
    }
    return Status::Ok();
  }));
  return out;
}

Result<v1::LowStockResponse> BusinessServiceImpl::LowStock(const v1::LowStockRequest& request) {
  MH_ASSIGN_OR_RETURN(const int limit, ValidatePageSize("limit", request.limit()));
  v1::LowStockResponse out;
  MH_TRY(db_.Read([&](sql::Session& s) -> Status {
    MH_ASSIGN_OR_RETURN(const BusinessScope scope,
                        LoadScope(s, request.org_id(), request.business_id()));
    MH_ASSIGN_OR_RETURN(sql::Rows rows,
                        s.Query(std::string("SELECT ") + kProductColumns +
                                    " FROM products WHERE org_id = $1 AND business_id = $2 AND "
                                    "deleted_at_ms IS NULL AND active = 1 AND stock <= min_stock "
                                    "ORDER BY stock - min_stock, id LIMIT $3",
                                {scope.org_id, scope.business_id, std::int64_t{limit}}));
    for (std::size_t r = 0; r < rows.size(); ++r) *out.add_items() = ProductFromRow(rows, r);
    return Status::Ok();
  }));
  return out;
}

}  // namespace milkyhoop::business
