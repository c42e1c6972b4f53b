#include "milkyhoop/crypto/envelope.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "milkyhoop/crypto/encoding.hpp"

namespace milkyhoop::crypto {
namespace {

constexpr char kAad[] = "auth.users.phone:usr_1";

std::vector<std::string> Split(const std::string& s) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot; (dot = s.find('.', start)) != std::string::npos; start = dot + 1) {
    parts.push_back(s.substr(start, dot - start));
  }
  parts.push_back(s.substr(start));
  return parts;
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : ".") + p;
  return out;
}

TEST(EnvelopeTest, SealThenOpenRoundTrips) {
  const Envelope envelope(KeyRing::Generate());
  for (const std::string& plaintext :
       {std::string(), std::string("+6281234567890"), std::string(70'000, '\0')}) {
    Result<std::string> sealed = envelope.Seal(plaintext, kAad);
    ASSERT_TRUE(sealed.ok());
    Result<std::string> opened = envelope.Open(*sealed, kAad);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, plaintext);
  }
}

TEST(EnvelopeTest, FormatIsVersionKeyIdAndThreeBase64UrlParts) {
  const Envelope envelope(KeyRing::Generate());
  const std::string sealed = *envelope.Seal("secret", kAad);
  const std::vector<std::string> parts = Split(sealed);
  ASSERT_EQ(parts.size(), 5u);
  EXPECT_EQ(parts[0], "v1");
  EXPECT_EQ(parts[1], envelope.keys().active().id);
  EXPECT_EQ(Base64UrlDecode(parts[2])->size(), 12u + 32u + 16u);
  EXPECT_EQ(Base64UrlDecode(parts[3])->size(), 12u);
  EXPECT_EQ(Base64UrlDecode(parts[4])->size(), 6u + 16u);
  EXPECT_EQ(sealed.find("secret"), std::string::npos);
  EXPECT_EQ(*Envelope::MasterKeyIdOf(sealed), envelope.keys().active().id);
}

TEST(EnvelopeTest, SealingTwiceGivesDifferentValues) {
  const Envelope envelope(KeyRing::Generate());
  EXPECT_NE(*envelope.Seal("same", kAad), *envelope.Seal("same", kAad));
}

TEST(EnvelopeTest, WrongAadDoesNotOpen) {
  const Envelope envelope(KeyRing::Generate());
  const std::string sealed = *envelope.Seal("+628123", kAad);
  for (const char* aad : {"", "auth.users.phone:usr_2", "auth.users.email:usr_1"}) {
    Result<std::string> opened = envelope.Open(sealed, aad);
    EXPECT_EQ(opened.status().code(), StatusCode::kInvalidArgument) << aad;
    EXPECT_EQ(opened.status().field_errors().at(0).field, "sealed");
  }
}

TEST(EnvelopeTest, TamperingWithAnyPartIsAnErrorNeverACrash) {
  const Envelope envelope(KeyRing::Generate());
  const std::string sealed = *envelope.Seal("attack at dawn", kAad);
  // Every single-character substitution anywhere in the string.
  for (std::size_t i = 0; i < sealed.size(); ++i) {
    for (char c : {'A', 'B', '_', '.', '='}) {
      if (sealed[i] == c) continue;
      std::string bad = sealed;
      bad[i] = c;
      Result<std::string> opened = envelope.Open(bad, kAad);
      EXPECT_FALSE(opened.ok()) << i << " " << c;
    }
  }
  // Every truncation.
  for (std::size_t len = 0; len < sealed.size(); ++len) {
    EXPECT_FALSE(envelope.Open(sealed.substr(0, len), kAad).ok()) << len;
  }
  EXPECT_FALSE(envelope.Open(sealed + "A", kAad).ok());
  EXPECT_FALSE(envelope.Open(sealed + ".", kAad).ok());
}

TEST(EnvelopeTest, SwappingPartsBetweenValuesDoesNotOpen) {
  const Envelope envelope(KeyRing::Generate());
  const std::vector<std::string> a = Split(*envelope.Seal("value a", kAad));
  const std::vector<std::string> b = Split(*envelope.Seal("value b", kAad));
  for (std::size_t part = 2; part < 5; ++part) {
    std::vector<std::string> mixed = a;
    mixed[part] = b[part];
    EXPECT_FALSE(envelope.Open(Join(mixed), kAad).ok()) << part;
  }
}

TEST(EnvelopeTest, MalformedInputsAreInvalidArgument) {
  const Envelope envelope(KeyRing::Generate());
  const std::string id = envelope.keys().active().id;
  for (const std::string& bad :
       {std::string(), std::string("v1"), std::string("...."), std::string("v2." + id + ".a.b.c"),
        std::string("v1." + id + ".!!!.AAAA.AAAA"), std::string("v1." + id + ".a.b.c.d")}) {
    EXPECT_EQ(envelope.Open(bad, kAad).status().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_EQ(envelope.Rewrap(bad).status().code(), StatusCode::kInvalidArgument) << bad;
  }
}

TEST(EnvelopeTest, UnknownMasterKeyIsFailedPrecondition) {
  const Envelope sealer(KeyRing::Generate());
  const Envelope opener(KeyRing::Generate());
  Result<std::string> opened = opener.Open(*sealer.Seal("x", kAad), kAad);
  EXPECT_EQ(opened.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(opened.status().message().find(sealer.keys().active().id), std::string::npos);
}

TEST(EnvelopeTest, AForgedKeyIdPointingAtAnotherKeyDoesNotOpen) {
  const KeyRing rotated = KeyRing::Generate().WithNewActiveKey();
  const Envelope envelope(rotated);
  std::vector<std::string> parts = Split(*envelope.Seal("x", kAad));
  parts[1] = rotated.keys()[1].id;  // wrapped by keys[0], claims keys[1]
  EXPECT_EQ(envelope.Open(Join(parts), kAad).status().code(), StatusCode::kInvalidArgument);
}

TEST(EnvelopeTest, RotationKeepsOldValuesOpenAndRewrapMovesThemToTheNewKey) {
  const KeyRing old_ring = KeyRing::Generate();
  const std::string sealed = *Envelope(old_ring).Seal("+6281234567890", kAad);

  const KeyRing new_ring = old_ring.WithNewActiveKey();
  const Envelope envelope(new_ring);
  EXPECT_EQ(*envelope.Open(sealed, kAad), "+6281234567890") << "old values still open";
  EXPECT_EQ(*Envelope::MasterKeyIdOf(*envelope.Seal("x", kAad)), new_ring.active().id);

  Result<std::string> rewrapped = envelope.Rewrap(sealed);
  ASSERT_TRUE(rewrapped.ok()) << rewrapped.status().ToString();
  EXPECT_EQ(*Envelope::MasterKeyIdOf(*rewrapped), new_ring.active().id);
  // Only the key id and the wrapped key changed; nonce and ciphertext are untouched.
  const std::vector<std::string> before = Split(sealed);
  const std::vector<std::string> after = Split(*rewrapped);
  EXPECT_NE(after[2], before[2]);
  EXPECT_EQ(after[3], before[3]);
  EXPECT_EQ(after[4], before[4]);
  EXPECT_EQ(*envelope.Open(*rewrapped, kAad), "+6281234567890");
  EXPECT_FALSE(envelope.Open(*rewrapped, "other").ok()) << "the AAD still binds it";

  // Once rewrapped, the old master key can be dropped.
  std::vector<MasterKey> only_new = {new_ring.active()};
  const Envelope retired(*KeyRing::Create(only_new, new_ring.index_key()));
  EXPECT_EQ(*retired.Open(*rewrapped, kAad), "+6281234567890");
  EXPECT_EQ(retired.Open(sealed, kAad).status().code(), StatusCode::kFailedPrecondition);

  // Already on the active key: returned unchanged.
  EXPECT_EQ(*envelope.Rewrap(*rewrapped), *rewrapped);
}

TEST(EnvelopeTest, RewrapRefusesAWrappedKeyThatDoesNotAuthenticate) {
  const KeyRing ring = KeyRing::Generate();
  std::vector<std::string> parts = Split(*Envelope(ring).Seal("x", kAad));
  std::string wrapped = *Base64UrlDecode(parts[2]);
  wrapped[20] ^= 1;
  parts[2] = Base64UrlEncode(wrapped);
  EXPECT_EQ(Envelope(ring.WithNewActiveKey()).Rewrap(Join(parts)).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace milkyhoop::crypto
