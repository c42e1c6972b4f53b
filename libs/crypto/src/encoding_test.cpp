#include "milkyhoop/crypto/encoding.hpp"

#include <gtest/gtest.h>

#include <string>

namespace milkyhoop::crypto {
namespace {

// RFC 4648 section 10.
TEST(EncodingTest, Base64MatchesRfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base64Encode(plain), encoded);
    Result<std::string> decoded = Base64Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(EncodingTest, Base64UrlUsesUrlAlphabetWithoutPadding) {
  const std::string bytes("\xfb\xff\xbf", 3);
  EXPECT_EQ(Base64Encode(bytes), "+/+/");
  EXPECT_EQ(Base64UrlEncode(bytes), "-_-_");
  EXPECT_EQ(Base64UrlEncode("f"), "Zg");
  EXPECT_EQ(Base64UrlEncode("fo"), "Zm8");
  EXPECT_EQ(*Base64UrlDecode("Zg"), "f");
  EXPECT_EQ(*Base64UrlDecode("-_-_"), bytes);
}

TEST(EncodingTest, Base64UrlRoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  for (std::size_t len = 0; len <= all.size(); len += 7) {
    const std::string part = all.substr(0, len);
    Result<std::string> decoded = Base64UrlDecode(Base64UrlEncode(part));
    ASSERT_TRUE(decoded.ok());
    EXPECT_EQ(*decoded, part);
  }
}

TEST(EncodingTest, Base64UrlRejectsNonCanonicalInput) {
  EXPECT_FALSE(Base64UrlDecode("Zg==").ok());   // padding
  EXPECT_FALSE(Base64UrlDecode("Zh").ok());     // non-zero trailing bits ("Zg" is canonical)
  EXPECT_FALSE(Base64UrlDecode("Z").ok());      // 4n+1 characters
  EXPECT_FALSE(Base64UrlDecode("Zm9v+").ok());  // standard alphabet
  EXPECT_FALSE(Base64UrlDecode("Zm 9v").ok());  // whitespace
  EXPECT_FALSE(Base64UrlDecode(std::string("Zm\0v", 4)).ok());
}

TEST(EncodingTest, Base64RejectsMalformedInput) {
  EXPECT_FALSE(Base64Decode("Zg=").ok());
  EXPECT_FALSE(Base64Decode("Zg").ok());
  EXPECT_FALSE(Base64Decode("Z===").ok());
  EXPECT_FALSE(Base64Decode("Zm9v\n").ok());
  EXPECT_FALSE(Base64Decode("-_-_").ok());
}

// RFC 4648 section 10, written without padding.
TEST(EncodingTest, Base32MatchesRfc4648Vectors) {
  const std::pair<std::string, std::string> vectors[] = {{"", ""},
                                                         {"f", "MY"},
                                                         {"fo", "MZXQ"},
                                                         {"foo", "MZXW6"},
                                                         {"foob", "MZXW6YQ"},
                                                         {"fooba", "MZXW6YTB"},
                                                         {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : vectors) {
    EXPECT_EQ(Base32Encode(plain), encoded);
    Result<std::string> decoded = Base32Decode(encoded);
    ASSERT_TRUE(decoded.ok()) << encoded;
    EXPECT_EQ(*decoded, plain);
  }
}

TEST(EncodingTest, Base32DecodeIsForgivingAboutCaseSpacesAndPadding) {
  EXPECT_EQ(*Base32Decode("mzxw6ytboi"), "foobar");
  EXPECT_EQ(*Base32Decode("MZXW 6YTB OI"), "foobar");
  EXPECT_EQ(*Base32Decode("MY======"), "f");
  EXPECT_FALSE(Base32Decode("MZXW1").ok());   // '1' is not in the alphabet
  EXPECT_FALSE(Base32Decode("MY==MY").ok());  // data after padding
}

}  // namespace
}  // namespace milkyhoop::crypto
