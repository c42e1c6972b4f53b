#pragma once
// The figures of a transaction, computed by the server from its items: every line is
// quantity x unit price, the subtotal their sum, total = subtotal - discount + tax. Pure, so the
// rules are tested without a database. All arithmetic is overflow-checked: a figure that would
// not fit in 64 bits is a 400 naming the field, never a wrapped number.

#include <cstdint>
#include <string_view>
#include <vector>

#include "milkyhoop/business/v1/business.pb.h"
#include "milkyhoop/core/status.hpp"

namespace milkyhoop::business {

struct Totals {
  std::vector<std::int64_t> line_totals;
  std::int64_t subtotal = 0;
  std::int64_t discount = 0;
  std::int64_t tax = 0;
  std::int64_t total = 0;
};

// Checks type, items (1..kMaxItems; quantity 1..kMaxQuantity; unit price in `currency`, > 0 for
// sales and expenses, >= 0 for purchases; product_id only on sales and purchases; a name or a
// product on every line), discount (<= subtotal) and tax, then computes the totals.
Result<Totals> ComputeTotals(const v1::PostTransactionRequest& request, std::string_view currency);

}  // namespace milkyhoop::business
