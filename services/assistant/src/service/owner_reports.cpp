// Reports for a period in the business's time zone, answered in one sentence with rupiah.
#include <nlohmann/json.hpp>

#include "milkyhoop/assistant/rupiah.hpp"
#include "owner_assistant.hpp"
#include "owner_context.hpp"
#include "report_period.hpp"

namespace milkyhoop::assistant::owner {
namespace bv1 = business::v1;

namespace {

constexpr int kRankedProducts = 5;

std::string Capitalised(std::string s) {
  if (!s.empty() && s[0] >= 'a' && s[0] <= 'z') s[0] = static_cast<char>(s[0] - 'a' + 'A');
  return s;
}

}  // namespace

Result<TurnOutcome> OwnerAssistant::Report(Context& c) const {
  MH_ASSIGN_OR_RETURN(const bv1::Business business, Business(c));
  const Period period = c.parsed.entities.period.value_or(Period::kThisMonth);
  const int offset = ZoneOffsetMinutes(business.time_zone()).value_or(7 * 60);
  const DayRange days = PeriodRange(period, c.now_ms, offset);
  const std::string label = PeriodLabel(period, c.parsed.language);
  bv1::ReportRange range;
  range.set_org_id(c.session.org_id);
  range.set_business_id(c.session.business_id);
  range.set_from(days.from);
  range.set_to(days.to);
  nlohmann::json data = {{"period", PeriodName(period)}, {"from", days.from}, {"to", days.to}};
  std::string reply;

  switch (c.parsed.intent) {
    case Intent::kReportProfit: {
      bv1::ProfitLossRequest req;
      *req.mutable_range() = range;
      MH_ASSIGN_OR_RETURN(const bv1::ProfitLossResponse pl, businesses_.ProfitLoss(req));
      const std::int64_t net = pl.net_profit().amount();
      const std::string figures =
          c.Say("omzet ", "revenue ") + FormatRupiah(pl.revenue().amount()) +
          c.Say(", HPP ", ", cost of goods ") + FormatRupiah(pl.cost_of_goods_sold().amount()) +
          c.Say(", biaya ", ", expenses ") + FormatRupiah(pl.expenses().amount());
      const std::string amount = FormatRupiah(net < 0 ? -net : net);
      reply = net < 0
                  ? c.Say("Rugi bersih " + label + " " + amount, "Net loss " + label + " " + amount)
                  : c.Say("Untung bersih " + label + " " + amount,
                          "Net profit " + label + " " + amount);
      reply += " (" + figures + ").";
      data["report"] = "profit";
      data["revenue"] = pl.revenue().amount();
      data["cost_of_goods_sold"] = pl.cost_of_goods_sold().amount();
      data["gross_profit"] = pl.gross_profit().amount();
      data["expenses"] = pl.expenses().amount();
      data["net_profit"] = net;
      break;
    }
    case Intent::kReportSales: {
      bv1::SalesReportRequest req;
      *req.mutable_range() = range;
      req.set_group_by("month");
      MH_ASSIGN_OR_RETURN(const bv1::SalesReportResponse sales, businesses_.SalesReport(req));
      std::int64_t revenue = 0, count = 0;
      for (const auto& p : sales.series()) {
        revenue += p.revenue().amount();
        count += p.transactions();
      }
      reply = c.Say("Omzet " + label + " " + FormatRupiah(revenue) + " dari " +
                        std::to_string(count) + " transaksi penjualan.",
                    "Sales " + label + ": " + FormatRupiah(revenue) + " from " +
                        std::to_string(count) + " sales.");
      data["report"] = "sales";
      data["revenue"] = revenue;
      data["transactions"] = count;
      break;
    }
    case Intent::kReportTopProducts:
    case Intent::kReportSlowProducts: {
      const bool slow = c.parsed.intent == Intent::kReportSlowProducts;
      bv1::TopProductsRequest req;
      *req.mutable_range() = range;
      req.set_limit(kRankedProducts);
      req.set_ascending(slow);
      MH_ASSIGN_OR_RETURN(const bv1::TopProductsResponse top, businesses_.TopProducts(req));
      nlohmann::json items = nlohmann::json::array();
      std::string list;
      for (int i = 0; i < top.items_size(); ++i) {
        const bv1::ProductSales& p = top.items(i);
        list += (i > 0 ? ", " : "") + std::to_string(i + 1) + ") " + p.name() + " " +
                std::to_string(p.quantity()) + c.Say(" terjual", " sold") +
                (p.revenue().amount() > 0 ? " (" + FormatRupiah(p.revenue().amount()) + ")" : "");
        items.push_back({{"product_id", p.product_id()},
                         {"name", p.name()},
                         {"quantity", p.quantity()},
                         {"revenue", p.revenue().amount()}});
      }
      if (top.items().empty()) {
        reply = slow ? c.Say("Belum ada produk di katalog.", "There are no products yet.")
                     : c.Say("Belum ada penjualan " + label + ".", "No sales " + label + " yet.");
      } else {
        reply = (slow ? c.Say("Kurang laku " + label + ": ", "Slowest " + label + ": ")
                      : c.Say("Terlaris " + label + ": ", "Best sellers " + label + ": ")) +
                list + ".";
      }
      data["report"] = slow ? "slow_products" : "top_products";
      data["items"] = std::move(items);
      break;
    }
    default:
      return Internal("not a report intent");
  }
  TurnOutcome out = c.Outcome(Capitalised(std::move(reply)));
  out.action_type = "report";
  out.action_data = data.dump();
  return out;
}

}  // namespace milkyhoop::assistant::owner
