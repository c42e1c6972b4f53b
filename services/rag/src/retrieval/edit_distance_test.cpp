#include "edit_distance.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::rag {
namespace {

TEST(EditDistanceTest, CountsEdits) {
  EXPECT_EQ(BoundedEditDistance("tawar", "tawar", 2), 0u);
  EXPECT_EQ(BoundedEditDistance("tawr", "tawar", 2), 1u);   // insertion
  EXPECT_EQ(BoundedEditDistance("pesen", "pesan", 2), 1u);  // substitution
  EXPECT_EQ(BoundedEditDistance("harga", "harg", 2), 1u);   // deletion
  EXPECT_EQ(BoundedEditDistance("bayar", "byaar", 2), 1u);  // transposition
  EXPECT_EQ(BoundedEditDistance("pembayaran", "pmbayarn", 2), 2u);
}

TEST(EditDistanceTest, ReportsBeyondTheBoundAsBoundPlusOne) {
  EXPECT_EQ(BoundedEditDistance("cuaca", "cuci", 1), 2u);
  EXPECT_EQ(BoundedEditDistance("roti", "kebaya", 2), 3u);
  EXPECT_EQ(BoundedEditDistance("", "abc", 1), 2u);
  EXPECT_EQ(BoundedEditDistance("", "", 0), 0u);
}

TEST(EditDistanceTest, IsSymmetric) {
  EXPECT_EQ(BoundedEditDistance("kirim", "kiriman", 2), BoundedEditDistance("kiriman", "kirim", 2));
}

}  // namespace
}  // namespace milkyhoop::rag
