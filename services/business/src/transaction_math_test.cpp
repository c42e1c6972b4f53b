#include "transaction_math.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace milkyhoop::business {
namespace {

v1::PostTransactionRequest Sale(std::int64_t quantity, std::int64_t price) {
  v1::PostTransactionRequest r;
  r.set_type("sale");
  auto* item = r.add_items();
  item->set_name("Kaos");
  item->set_quantity(quantity);
  item->mutable_unit_price()->set_amount(price);
  item->mutable_unit_price()->set_currency("IDR");
  return r;
}

TEST(TransactionMathTest, TotalIsSubtotalLessDiscountPlusTax) {
  v1::PostTransactionRequest r = Sale(10, 45000);
  r.mutable_discount()->set_amount(50000);
  r.mutable_discount()->set_currency("IDR");
  r.mutable_tax()->set_amount(44000);
  r.mutable_tax()->set_currency("IDR");
  auto t = ComputeTotals(r, "IDR");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->subtotal, 450000);
  EXPECT_EQ(t->total, 444000);
}

TEST(TransactionMathTest, PurchasesMayBeFreeSalesMayNot) {
  EXPECT_EQ(ComputeTotals(Sale(1, 0), "IDR").status().field_errors()[0].field,
            "items[0].unit_price.amount");
  v1::PostTransactionRequest gift = Sale(1, 0);
  gift.set_type("purchase");
  EXPECT_TRUE(ComputeTotals(gift, "IDR").ok());
}

TEST(TransactionMathTest, OverflowNamesTheField) {
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  EXPECT_EQ(ComputeTotals(Sale(2, kMax), "IDR").status().field_errors()[0].field,
            "items[0].quantity");
  v1::PostTransactionRequest r = Sale(1, kMax);
  r.mutable_tax()->set_amount(1);
  r.mutable_tax()->set_currency("IDR");
  EXPECT_EQ(ComputeTotals(r, "IDR").status().field_errors()[0].field, "tax");
  EXPECT_EQ(ComputeTotals(Sale(1, 100), "USD").status().field_errors()[0].field,
            "items[0].unit_price.currency");
}

}  // namespace
}  // namespace milkyhoop::business
