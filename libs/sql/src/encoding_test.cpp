#include "encoding.hpp"

#include <gtest/gtest.h>

#include "value_text.hpp"

namespace milkyhoop::sql::internal {
namespace {

TEST(EncodingTest, Base64RoundTripsArbitraryBytes) {
  std::string all;
  for (int c = 0; c < 256; ++c) all += static_cast<char>(c);
  for (std::size_t len = 0; len <= all.size(); len += 37) {
    const std::string bytes = all.substr(0, len);
    const std::optional<std::string> back = Base64Decode(Base64Encode(bytes));
    ASSERT_TRUE(back.has_value()) << len;
    EXPECT_EQ(*back, bytes) << len;
  }
  EXPECT_EQ(Base64Encode("f"), "Zg==");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  EXPECT_EQ(Base64Encode("foo"), "Zm9v");
  EXPECT_EQ(Base64Decode("Zg=="), "f");
  EXPECT_EQ(Base64Decode(""), "");
}

TEST(EncodingTest, Base64RejectsGarbage) {
  EXPECT_EQ(Base64Decode("abc"), std::nullopt);   // not a multiple of 4
  EXPECT_EQ(Base64Decode("a*c="), std::nullopt);  // outside the alphabet
}

TEST(EncodingTest, Sha256Hex) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ValueTextTest, NumbersRoundTripThroughText) {
  for (double d : {0.1, -1.5e300, 5e-324, 1.0 / 3.0, 0.0}) {
    EXPECT_EQ(ParseReal(FormatReal(d)), d) << FormatReal(d);
  }
  EXPECT_EQ(FormatReal(std::numeric_limits<double>::infinity()), "Infinity");
  EXPECT_EQ(FormatReal(-std::numeric_limits<double>::infinity()), "-Infinity");
  EXPECT_EQ(FormatReal(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(ParseReal("-Infinity"), -std::numeric_limits<double>::infinity());
  EXPECT_EQ(FormatInt(std::numeric_limits<std::int64_t>::min()), "-9223372036854775808");
  EXPECT_EQ(ParseInt("-9223372036854775808"), std::numeric_limits<std::int64_t>::min());
  EXPECT_EQ(ParseInt("9223372036854775808"), std::nullopt);  // overflow
  EXPECT_EQ(ParseInt("12abc"), std::nullopt);
  EXPECT_EQ(ParseInt(""), std::nullopt);
}

}  // namespace
}  // namespace milkyhoop::sql::internal
