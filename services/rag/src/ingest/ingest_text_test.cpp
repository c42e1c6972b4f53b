#include <gtest/gtest.h>

#include "milkyhoop/rag/ingest.hpp"
#include "testing/collect.hpp"
#include "utf8.hpp"

namespace milkyhoop::rag {
namespace {

using testing::AllText;
using testing::IngestAll;

TEST(IngestTextTest, ParagraphsJoinSoftLineBreaks) {
  auto chunks = IngestAll(DocumentFormat::kText,
                          "Laundry Bersih Wangi\r\nbuka setiap hari.\r\n\r\n\r\n"
                          "  Harga   kiloan Rp7.000.\n");
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  ASSERT_EQ(chunks->size(), 1u);
  EXPECT_EQ((*chunks)[0].text, "Laundry Bersih Wangi buka setiap hari.\n\nHarga kiloan Rp7.000.");
  EXPECT_EQ((*chunks)[0].heading, "");
}

TEST(IngestTextTest, IndonesianAndEmojiTextChunksStayValidAndBounded) {
  std::string text;
  for (int i = 0; i < 300; ++i) {
    text += "Pesanan ke-" + std::to_string(i) +
            " dikirim hari ini 🚚, sudah termasuk ongkir ke Bekasi & Depok ✨. ";
    if (i % 7 == 6) text += "\n\n";
  }
  ChunkOptions options;
  options.max_chars = 180;
  options.overlap_chars = 40;
  auto chunks = IngestAll(DocumentFormat::kText, text, options);
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  ASSERT_GT(chunks->size(), 50u);
  for (const Chunk& c : *chunks) {
    EXPECT_TRUE(ingest::IsValidUtf8(c.text));
    EXPECT_LE(ingest::CountCodePoints(c.text), 180u);
  }
  const std::string all = AllText(*chunks);
  for (int i = 0; i < 300; i += 37) {
    EXPECT_NE(all.find("Pesanan ke-" + std::to_string(i) + " "), std::string::npos) << i;
  }
}

TEST(IngestTextTest, ABinaryFileNamedTxtIsRejected) {
  std::string binary(
      "\x7F"
      "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0",
      20);
  binary += std::string(4000, '\x90');
  auto chunks = IngestAll(DocumentFormat::kText, binary);
  ASSERT_FALSE(chunks.ok());
  EXPECT_EQ(chunks.status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(chunks.status().message().starts_with("file is not text"))
      << chunks.status().message();
}

TEST(IngestTextTest, EmptyAndOversizedDocuments) {
  EXPECT_EQ(IngestAll(DocumentFormat::kText, " \n\n\t\n").status().code(),
            StatusCode::kInvalidArgument);
  IngestLimits limits;
  limits.max_input_bytes = 100;
  EXPECT_EQ(IngestAll(DocumentFormat::kText, std::string(101, 'a'), {}, limits).status().code(),
            StatusCode::kResourceExhausted);
  limits = {};
  limits.max_text_bytes = 1000;
  EXPECT_EQ(IngestAll(DocumentFormat::kText, std::string(3000, 'a'), {}, limits).status().code(),
            StatusCode::kResourceExhausted);
  limits = {};
  limits.max_chunks = 3;
  ChunkOptions small;
  small.max_chars = 20;
  EXPECT_EQ(IngestAll(DocumentFormat::kText, std::string(500, 'a'), small, limits).status().code(),
            StatusCode::kResourceExhausted);
  small.max_chars = 2;
  EXPECT_EQ(IngestAll(DocumentFormat::kText, "abc", small).status().code(),
            StatusCode::kInvalidArgument);
}

TEST(IngestTextTest, ATimeLimit) {
  IngestLimits limits;
  limits.max_duration = std::chrono::milliseconds(0);
  EXPECT_EQ(IngestAll(DocumentFormat::kText, "satu", {}, limits).status().code(),
            StatusCode::kDeadlineExceeded);
  limits.max_duration = std::chrono::milliseconds::max();
  EXPECT_TRUE(IngestAll(DocumentFormat::kText, "satu", {}, limits).ok());
}

TEST(IngestTextTest, ASinkErrorIsReturned) {
  int calls = 0;
  auto r = IngestDocument(DocumentFormat::kText, "satu\n\ndua", {}, {}, [&](Chunk&&) {
    ++calls;
    return Aborted("stop");
  });
  EXPECT_EQ(r.status().code(), StatusCode::kAborted);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace milkyhoop::rag
