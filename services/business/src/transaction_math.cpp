#include "transaction_math.hpp"

#include <string>

#include "money.hpp"
#include "validation.hpp"

namespace milkyhoop::business {

Result<Totals> ComputeTotals(const v1::PostTransactionRequest& request, std::string_view currency) {
  const std::string& type = request.type();
  if (type != "sale" && type != "purchase" && type != "expense") {
    return InvalidField("type", "must be \"sale\", \"purchase\" or \"expense\"");
  }
  if (request.items_size() == 0) return InvalidField("items", "needs at least one item");
  if (static_cast<std::size_t>(request.items_size()) > kMaxItems) {
    return InvalidField("items", "at most " + std::to_string(kMaxItems) + " items");
  }
  Totals t;
  for (int i = 0; i < request.items_size(); ++i) {
    const v1::TransactionItem& item = request.items(i);
    const std::string at = "items[" + std::to_string(i) + "]";
    if (item.product_id().empty() && item.name().empty()) {
      return InvalidField(at + ".name", "is required when there is no product_id");
    }
    if (!item.product_id().empty() && type == "expense") {
      return InvalidField(at + ".product_id",
                          "expenses do not move stock; buy goods with a purchase");
    }
    if (item.quantity() < 1 || item.quantity() > kMaxQuantity) {
      return InvalidField(at + ".quantity", "must be an integer between 1 and 1000000000");
    }
    if (!item.has_unit_price()) return InvalidField(at + ".unit_price", "is required");
    MH_TRY(ValidateMoney(at + ".unit_price", item.unit_price(), currency));
    if (item.unit_price().amount() == 0 && type != "purchase") {
      return InvalidField(at + ".unit_price.amount", "must be positive");
    }
    const auto line = CheckedMul(item.quantity(), item.unit_price().amount());
    if (!line) return InvalidField(at + ".quantity", "quantity x unit_price exceeds 64 bits");
    const auto subtotal = CheckedAdd(t.subtotal, *line);
    if (!subtotal) return InvalidField("items", "the subtotal exceeds 64 bits");
    t.line_totals.push_back(*line);
    t.subtotal = *subtotal;
  }
  if (request.has_discount()) {
    MH_TRY(ValidateMoney("discount", request.discount(), currency));
    t.discount = request.discount().amount();
    if (t.discount > t.subtotal) return InvalidField("discount", "must not exceed the subtotal");
  }
  if (request.has_tax()) {
    MH_TRY(ValidateMoney("tax", request.tax(), currency));
    t.tax = request.tax().amount();
  }
  const auto total = CheckedAdd(t.subtotal - t.discount, t.tax);
  if (!total) return InvalidField("tax", "the total exceeds 64 bits");
  t.total = *total;
  return t;
}

}  // namespace milkyhoop::business
