#include "milkyhoop/assistant/rupiah.hpp"

#include <gtest/gtest.h>

#include <limits>

namespace milkyhoop::assistant {
namespace {

TEST(FormatRupiah, GroupsThousandsWithDots) {
  EXPECT_EQ(FormatRupiah(1250000), "Rp 1.250.000");
  EXPECT_EQ(FormatRupiah(-5000), "-Rp 5.000");
  EXPECT_EQ(FormatRupiah(0), "Rp 0");
  EXPECT_EQ(FormatRupiah(999), "Rp 999");
  EXPECT_EQ(FormatRupiah(1000), "Rp 1.000");
  EXPECT_EQ(FormatRupiah(std::numeric_limits<std::int64_t>::min()),
            "-Rp 9.223.372.036.854.775.808");
}

TEST(ParseRupiah, ReadsTheWaysOwnersWriteAmounts) {
  EXPECT_EQ(ParseRupiah("45rb"), 45000);
  EXPECT_EQ(ParseRupiah("45 ribu"), 45000);
  EXPECT_EQ(ParseRupiah("45k"), 45000);
  EXPECT_EQ(ParseRupiah("45K"), 45000);
  EXPECT_EQ(ParseRupiah("1,5jt"), 1500000);
  EXPECT_EQ(ParseRupiah("1.5jt"), 1500000);
  EXPECT_EQ(ParseRupiah("12.500"), 12500);
  EXPECT_EQ(ParseRupiah("2 juta"), 2000000);
  EXPECT_EQ(ParseRupiah("Rp 15.000"), 15000);
  EXPECT_EQ(ParseRupiah("Rp. 15.000,-"), 15000);
  EXPECT_EQ(ParseRupiah("Rp15.000,00"), 15000);
  EXPECT_EQ(ParseRupiah("15000"), 15000);
  EXPECT_EQ(ParseRupiah(" 1.250.000 rupiah "), 1250000);
  EXPECT_EQ(ParseRupiah("0"), 0);
}

TEST(ParseRupiah, RejectsWhatIsNotOneAmount) {
  EXPECT_EQ(ParseRupiah(""), std::nullopt);
  EXPECT_EQ(ParseRupiah("kaos"), std::nullopt);
  EXPECT_EQ(ParseRupiah("45rb kaos"), std::nullopt);
  EXPECT_EQ(ParseRupiah("10 kg"), std::nullopt);
  EXPECT_EQ(ParseRupiah("-5000"), std::nullopt);
  EXPECT_EQ(ParseRupiah("1,5"), std::nullopt);  // half a rupiah
  EXPECT_EQ(ParseRupiah("1.25.000"), std::nullopt);
  EXPECT_EQ(ParseRupiah("Rp"), std::nullopt);
}

TEST(ParseRupiah, RejectsAmountsAboveATrillion) {
  EXPECT_EQ(ParseRupiah("1000000jt"), 1'000'000'000'000);
  EXPECT_EQ(ParseRupiah("1000001jt"), std::nullopt);
  EXPECT_EQ(ParseRupiah("99999999999999999999"), std::nullopt);
  EXPECT_EQ(ParseRupiah(std::string(100, '9')), std::nullopt);
}

}  // namespace
}  // namespace milkyhoop::assistant
