// EntitiesJson: the eval file's entity shape per intent, written by hand so callers need no JSON
// library.
#include <string>

#include "milkyhoop/assistant/intent.hpp"
#include "milkyhoop/core/json_escape.hpp"

namespace milkyhoop::assistant {
namespace {

void AppendString(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;
  out += "\":\"";
  AppendJsonEscaped(out, value);
  out += '"';
}

void AppendNumber(std::string& out, std::string_view key, const std::optional<std::int64_t>& v) {
  out += '"';
  out += key;
  out += "\":";
  out += v ? std::to_string(*v) : "null";
}

}  // namespace

std::string EntitiesJson(Intent intent, const Entities& entities) {
  std::string out = "{";
  switch (intent) {
    case Intent::kRecordSale:
    case Intent::kRecordPurchase:
      out += "\"items\":[";
      for (std::size_t i = 0; i < entities.items.size(); ++i) {
        const ItemEntity& item = entities.items[i];
        if (i > 0) out += ',';
        out += '{';
        AppendString(out, "name", item.name);
        out += ',';
        AppendNumber(out, "quantity", item.quantity);
        out += ',';
        AppendNumber(out, "unit_price", item.unit_price);
        out += '}';
      }
      out += ']';
      break;
    case Intent::kRecordExpense:
      AppendString(out, "category", entities.category);
      out += ',';
      AppendNumber(out, "amount", entities.amount);
      break;
    case Intent::kStockQuery:
    case Intent::kPriceQuery:
      AppendString(out, "product", entities.product);
      break;
    case Intent::kStockAdjust:
      AppendString(out, "product", entities.product);
      out += ',';
      AppendNumber(out, "delta", entities.delta);
      break;
    case Intent::kReportProfit:
    case Intent::kReportSales:
    case Intent::kReportTopProducts:
    case Intent::kReportSlowProducts:
      out += "\"period\":";
      if (entities.period) {
        out += '"';
        out += PeriodName(*entities.period);
        out += '"';
      } else {
        out += "null";
      }
      break;
    case Intent::kReportLowStock:
    case Intent::kVoidLast:
    case Intent::kConfirm:
    case Intent::kCancel:
    case Intent::kUnknown:
      break;
  }
  out += '}';
  return out;
}

}  // namespace milkyhoop::assistant
