#include "utf8.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::rag::ingest {
namespace {

TEST(Utf8Test, DecodesValidSequences) {
  const std::string s = "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80";  // a é € 😀
  std::size_t i = 0;
  EXPECT_EQ(DecodeUtf8(s, i), 'a');
  EXPECT_EQ(DecodeUtf8(s, i), 0xE9);
  EXPECT_EQ(DecodeUtf8(s, i), 0x20AC);
  EXPECT_EQ(DecodeUtf8(s, i), 0x1F600);
  EXPECT_EQ(i, s.size());
}

TEST(Utf8Test, RejectsOverlongSurrogatesTruncatedAndOutOfRange) {
  for (const std::string bad : {"\xC0\x80", "\xE0\x80\x80", "\xED\xA0\x80", "\xF4\x90\x80\x80",
                                "\xE2\x82", "\x80", "\xFF"}) {
    std::size_t i = 0;
    EXPECT_EQ(DecodeUtf8(bad, i), -1) << bad.size();
    EXPECT_EQ(i, 1u);  // one byte at a time, so a scan always progresses
    EXPECT_FALSE(IsValidUtf8(bad));
  }
  EXPECT_TRUE(IsValidUtf8("Harga paket kiloan Rp7.000 😀"));
}

TEST(Utf8Test, AppendRoundTrips) {
  std::string out;
  for (const std::uint32_t cp : {0x41u, 0xE9u, 0x20ACu, 0x1F600u}) AppendUtf8(out, cp);
  EXPECT_EQ(out, "A\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80");
}

TEST(Utf8Test, CountsAndOffsetsInCodePoints) {
  const std::string s = "é😀x";
  EXPECT_EQ(CountCodePoints(s), 3u);
  EXPECT_EQ(ByteOffsetOfCodePoint(s, 0), 0u);
  EXPECT_EQ(ByteOffsetOfCodePoint(s, 1), 2u);
  EXPECT_EQ(ByteOffsetOfCodePoint(s, 2), 6u);
  EXPECT_EQ(ByteOffsetOfCodePoint(s, 3), s.size());
  EXPECT_EQ(ByteOffsetOfCodePoint(s, 99), s.size());
}

}  // namespace
}  // namespace milkyhoop::rag::ingest
