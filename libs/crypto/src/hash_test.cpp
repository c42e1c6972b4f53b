#include "milkyhoop/crypto/hash.hpp"

#include <gtest/gtest.h>

#include <string>

#include "milkyhoop/core/ids.hpp"

namespace milkyhoop::crypto {
namespace {

std::string Hex(const std::string& bytes) { return HexEncode(bytes); }

TEST(HashTest, Sha256MatchesFips180Vector) {
  EXPECT_EQ(Hex(Sha256("abc")), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Hex(Sha256("")), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

// RFC 2202 test case 2 (SHA-1), RFC 4231 test case 2 (SHA-256, SHA-512).
TEST(HashTest, HmacMatchesRfcVectors) {
  const std::string key = "Jefe";
  const std::string data = "what do ya want for nothing?";
  EXPECT_EQ(Hex(HmacSha1(key, data)), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  EXPECT_EQ(Hex(HmacSha256(key, data)),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(Hex(HmacSha512(key, data)),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d0"
            "34f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737");
}

TEST(HashTest, HmacAcceptsAnEmptyKey) {
  EXPECT_EQ(Hex(HmacSha256("", "")),
            "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

// RFC 5869 test cases 1 and 3.
TEST(HashTest, HkdfMatchesRfc5869Vectors) {
  const std::string ikm(22, '\x0b');
  std::string salt;
  for (int i = 0; i <= 0x0c; ++i) salt += static_cast<char>(i);
  std::string info;
  for (int i = 0xf0; i <= 0xf9; ++i) info += static_cast<char>(i);
  Result<std::string> okm = HkdfSha256(ikm, salt, info, 42);
  ASSERT_TRUE(okm.ok()) << okm.status().ToString();
  EXPECT_EQ(Hex(*okm),
            "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");

  Result<std::string> no_salt = HkdfSha256(ikm, "", "", 42);
  ASSERT_TRUE(no_salt.ok()) << no_salt.status().ToString();
  EXPECT_EQ(Hex(*no_salt),
            "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8");
}

TEST(HashTest, HkdfRejectsBadLengths) {
  EXPECT_FALSE(HkdfSha256("k", "", "", 0).ok());
  EXPECT_FALSE(HkdfSha256("k", "", "", 255 * 32 + 1).ok());
}

TEST(HashTest, ConstantTimeEquals) {
  EXPECT_TRUE(ConstantTimeEquals("", ""));
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
  EXPECT_FALSE(ConstantTimeEquals(std::string("a\0b", 3), std::string("a\0c", 3)));
}

}  // namespace
}  // namespace milkyhoop::crypto
