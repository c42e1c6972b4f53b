#include "milkyhoop/crypto/aead.hpp"

#include <gtest/gtest.h>

#include <string>

#include "milkyhoop/core/ids.hpp"

namespace milkyhoop::crypto {
namespace {

std::string Unhex(std::string_view hex) {
  std::string out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16));
  }
  return out;
}

// NIST GCM test vector (McGrew & Viega, test case 16: AES-256, 60-byte plaintext, AAD).
TEST(AeadTest, MatchesTheGcmSpecVector) {
  const std::string key = Unhex("feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308");
  const std::string nonce = Unhex("cafebabefacedbaddecaf888");
  const std::string plaintext = Unhex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e24"
      "49a6b525b16aedf5aa0de657ba637b39");
  const std::string aad = Unhex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  Result<std::string> sealed = AesGcmSeal(key, nonce, plaintext, aad);
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(HexEncode(*sealed),
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b"
            "1056828838c5f61e6393ba7a0abcc9f662"
            "76fc6ece0f4e1768cddf8853bb2d551b");
  Result<std::string> opened = AesGcmOpen(key, nonce, *sealed, aad);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, plaintext);
}

TEST(AeadTest, EmptyPlaintextAndAadRoundTrip) {
  const std::string key(32, 'k');
  const std::string nonce(12, 'n');
  Result<std::string> sealed = AesGcmSeal(key, nonce, "", "");
  ASSERT_TRUE(sealed.ok());
  EXPECT_EQ(sealed->size(), kGcmTagBytes);
  EXPECT_EQ(*AesGcmOpen(key, nonce, *sealed, ""), "");
}

TEST(AeadTest, AnyChangeFailsAuthentication) {
  const std::string key(32, 'k');
  const std::string nonce(12, 'n');
  const std::string sealed = *AesGcmSeal(key, nonce, "attack at dawn", "ctx");
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] ^= 0x01;
    EXPECT_EQ(AesGcmOpen(key, nonce, bad, "ctx").status().code(), StatusCode::kInvalidArgument)
        << i;
  }
  EXPECT_FALSE(AesGcmOpen(key, nonce, sealed, "ctx2").ok());
  EXPECT_FALSE(AesGcmOpen(std::string(32, 'K'), nonce, sealed, "ctx").ok());
  EXPECT_FALSE(AesGcmOpen(key, std::string(12, 'N'), sealed, "ctx").ok());
  EXPECT_FALSE(AesGcmOpen(key, nonce, sealed.substr(0, 15), "ctx").ok());
}

TEST(AeadTest, WrongKeyOrNonceSizeIsInvalid) {
  EXPECT_EQ(AesGcmSeal(std::string(16, 'k'), std::string(12, 'n'), "x", "").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(AesGcmSeal(std::string(32, 'k'), std::string(16, 'n'), "x", "").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace milkyhoop::crypto
