#include "text_input.hpp"

#include <random>

#include <gtest/gtest.h>

namespace milkyhoop::rag::ingest {
namespace {

TEST(TextInputTest, AcceptsUtf8AndStripsTheBom) {
  auto input = TextInput::Prepare("\xEF\xBB\xBFJam buka 08.00");
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_EQ(input->text(), "Jam buka 08.00");
}

TEST(TextInputTest, RejectsBinaryContent) {
  std::string png = "\x89PNG\r\n\x1A\n";
  png += std::string("\0\0\0\rIHDR", 8);
  auto input = TextInput::Prepare(png);
  ASSERT_FALSE(input.ok());
  EXPECT_EQ(input.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(input.status().message().starts_with("file is not text")) << input.status().message();

  // Random bytes without a single NUL still fail on control characters or invalid UTF-8.
  std::mt19937 rng(7);
  std::string noise;
  while (noise.size() < 4096) {
    const char c = static_cast<char>(rng() % 256);
    if (c != '\0') noise.push_back(c);
  }
  EXPECT_EQ(TextInput::Prepare(noise).status().code(), StatusCode::kInvalidArgument);
}

TEST(TextInputTest, ToleratesAFewLegacyBytes) {
  // A Windows-1252 file: "é" is 0xE9, invalid as UTF-8; in Indonesian text it is rare.
  std::string text;
  for (int i = 0; i < 20; ++i) {
    text += "Kami menyediakan kopi susu, teh tarik dan roti bakar setiap hari di Caf\xE9 Melati. ";
  }
  EXPECT_TRUE(TextInput::Prepare(text).ok());
  EXPECT_TRUE(TextInput::Prepare("Selesai\x1A").ok());  // a DOS end-of-file marker
}

TEST(TextInputTest, MuchInvalidUtf8AsksForUtf8) {
  std::string text;
  for (int i = 0; i < 20; ++i)
    text +=
        "cr\xE8me br\xFBl\xE9"
        "e caf\xE9 ";
  auto input = TextInput::Prepare(text);
  ASSERT_FALSE(input.ok());
  EXPECT_TRUE(input.status().message().starts_with("file is not text"));
  EXPECT_NE(input.status().message().find("UTF-8"), std::string::npos);
}

TEST(TextInputTest, ConvertsUtf16WithBom) {
  const std::string le("\xFF\xFEH\0a\0i\0 \0=\x26", 12);  // "Hai ☽" (U+263D)
  auto input = TextInput::Prepare(le);
  ASSERT_TRUE(input.ok()) << input.status().ToString();
  EXPECT_EQ(input->text(), "Hai \xE2\x98\xBD");
  const std::string be("\xFE\xFF\0O\0K\xD8\x3D\xDE\x00", 10);  // "OK😀"
  auto big = TextInput::Prepare(be);
  ASSERT_TRUE(big.ok()) << big.status().ToString();
  EXPECT_EQ(big->text(), "OK😀");
}

}  // namespace
}  // namespace milkyhoop::rag::ingest
