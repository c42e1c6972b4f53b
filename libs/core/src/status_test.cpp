#include "milkyhoop/core/status.hpp"

#include <gtest/gtest.h>

namespace milkyhoop {
namespace {

Result<int> Half(int n) {
  if (n % 2 != 0) return InvalidField("n", "must be even");
  return n / 2;
}

Result<int> Quarter(int n) {
  MH_ASSIGN_OR_RETURN(int half, Half(n));
  MH_ASSIGN_OR_RETURN(int quarter, Half(half));
  return quarter;
}

TEST(StatusTest, OkByDefault) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, InvalidFieldCarriesTheField) {
  Status s = InvalidField("email", "is required");
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  ASSERT_EQ(s.field_errors().size(), 1u);
  EXPECT_EQ(s.field_errors()[0].field, "email");
  EXPECT_EQ(s.ToString(), "INVALID_ARGUMENT: email: is required");
}

TEST(ResultTest, PropagatesTheFirstError) {
  EXPECT_EQ(*Quarter(8), 2);
  Result<int> r = Quarter(6);  // 6 → 3 → odd
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().field_errors()[0].field, "n");
}

}  // namespace
}  // namespace milkyhoop
