#include <gtest/gtest.h>

#include <limits>

#include "milkyhoop/sql/database.hpp"

namespace milkyhoop::sql {
namespace {

Rows Sample() {
  return Rows({"i", "d", "s", "n", "num"},
              {{std::int64_t{42}, 2.5, std::string("hello"), Null, std::string("-17")},
               {std::int64_t{-1}, 1e300, std::string(""), Null, std::string("3.25")}});
}

TEST(RowsTest, TypedAccessorsConvertWhereSensible) {
  const Rows rows = Sample();
  EXPECT_EQ(rows.size(), 2u);
  EXPECT_FALSE(rows.empty());
  EXPECT_EQ(rows.Int(0, 0), 42);
  EXPECT_EQ(rows.Int(0, 1), 2);    // real truncated
  EXPECT_EQ(rows.Int(0, 4), -17);  // decimal text parsed
  EXPECT_EQ(rows.Int(0, 3), 0);    // NULL
  EXPECT_EQ(rows.Int(0, 2), 0);    // not a number
  EXPECT_EQ(rows.Int(1, 1), 0);    // out of int64 range: 0, never undefined behaviour
  EXPECT_EQ(rows.Real(0, 0), 42.0);
  EXPECT_EQ(rows.Real(1, 4), 3.25);
  EXPECT_EQ(rows.Real(0, 3), 0.0);
  EXPECT_EQ(rows.Text(0, 0), "42");
  EXPECT_EQ(rows.Text(0, 1), "2.5");
  EXPECT_EQ(rows.Text(1, 1), "1e+300");
  EXPECT_EQ(rows.Text(0, 3), "");
  EXPECT_EQ(rows.OptText(0, 3), std::nullopt);
  EXPECT_EQ(rows.OptText(1, 2), "");  // empty text is not NULL
  EXPECT_TRUE(rows.IsNull(0, 3));
  EXPECT_FALSE(rows.IsNull(1, 2));
}

TEST(RowsTest, ColumnsByName) {
  const Rows rows = Sample();
  EXPECT_EQ(rows.Column("i"), 0);
  EXPECT_EQ(rows.Column("num"), 4);
  EXPECT_EQ(rows.Column("missing"), -1);
}

TEST(RowsTest, OutOfRangeCellsReadAsNull) {
  const Rows rows = Sample();
  EXPECT_TRUE(rows.IsNull(5, 0));
  EXPECT_TRUE(rows.IsNull(0, 9));
  EXPECT_EQ(rows.Int(5, 0), 0);
  EXPECT_EQ(rows.Text(0, 9), "");
  EXPECT_TRUE(Rows().empty());
}

}  // namespace
}  // namespace milkyhoop::sql
