#include "chunker.hpp"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "utf8.hpp"

namespace milkyhoop::rag::ingest {
namespace {

class ChunkerTest : public ::testing::Test {
 protected:
  ChunkerOptions Options(std::size_t max_chars, std::size_t overlap) {
    ChunkerOptions o;
    o.max_chars = max_chars;
    o.overlap_chars = overlap;
    return o;
  }
  std::function<Status(Chunk&&)> sink_ = [this](Chunk&& c) {
    chunks_.push_back(std::move(c));
    return Status::Ok();
  };
  std::vector<Chunk> chunks_;
};

// Indonesian sentences with accents and emoji, so byte and code point counts differ.
std::string Sentence(int i) {
  return "Paket kiloan nomor " + std::to_string(i) +
         " dicuci bersih, disetrika rapi, dan diantar ke rumah Anda 🚚✨ dengan harga hemat é.";
}

TEST_F(ChunkerTest, PacksParagraphsUpToTheBound) {
  Chunker chunker(Options(100, 0), sink_);
  for (const char* p : {"Satu dua tiga.", "Empat lima.", "Enam tujuh delapan sembilan sepuluh."}) {
    ASSERT_TRUE(chunker.Write(p).ok());
    ASSERT_TRUE(chunker.EndParagraph().ok());
  }
  ASSERT_TRUE(chunker.Finish().ok());
  ASSERT_EQ(chunks_.size(), 1u);
  EXPECT_EQ(chunks_[0].text,
            "Satu dua tiga.\n\nEmpat lima.\n\nEnam tujuh delapan sembilan sepuluh.");
  EXPECT_EQ(chunks_[0].ordinal, 0);
}

TEST_F(ChunkerTest, ChunksStayWithinBoundsAndValidUtf8AndKeepEveryWord) {
  Chunker chunker(Options(120, 30), sink_);
  std::string all;
  for (int p = 0; p < 20; ++p) {
    std::string paragraph;
    for (int s = 0; s < (p % 4) + 1; ++s) paragraph += Sentence(p * 10 + s) + " ";
    all += paragraph;
    ASSERT_TRUE(chunker.Write(paragraph).ok());
    ASSERT_TRUE(chunker.EndParagraph().ok());
  }
  ASSERT_TRUE(chunker.Finish().ok());
  ASSERT_GT(chunks_.size(), 10u);
  std::string joined;
  for (std::size_t i = 0; i < chunks_.size(); ++i) {
    EXPECT_EQ(chunks_[i].ordinal, static_cast<int>(i));
    EXPECT_TRUE(IsValidUtf8(chunks_[i].text));
    EXPECT_LE(CountCodePoints(chunks_[i].text), 120u) << chunks_[i].text;
    EXPECT_FALSE(chunks_[i].text.empty());
    joined += chunks_[i].text + " ";
  }
  // Every numbered sentence made it into some chunk.
  for (int p = 0; p < 20; ++p) {
    for (int s = 0; s < (p % 4) + 1; ++s) {
      EXPECT_NE(joined.find("nomor " + std::to_string(p * 10 + s) + " "), std::string::npos);
    }
  }
}

TEST_F(ChunkerTest, ConsecutiveChunksOverlapInWholeWords) {
  Chunker chunker(Options(200, 50), sink_);
  std::string paragraph;
  for (int s = 0; s < 12; ++s) paragraph += Sentence(s) + " ";
  ASSERT_TRUE(chunker.Write(paragraph).ok());
  ASSERT_TRUE(chunker.Finish().ok());
  ASSERT_GE(chunks_.size(), 3u);
  for (std::size_t i = 1; i < chunks_.size(); ++i) {
    const std::string& prev = chunks_[i - 1].text;
    const std::string& next = chunks_[i].text;
    // The longest suffix of prev that starts next, beginning at a word of prev.
    std::size_t overlap = 0;
    for (std::size_t len = std::min(prev.size(), next.size()); len > 0; --len) {
      if (next.compare(0, len, prev, prev.size() - len, len) == 0) {
        overlap = len;
        break;
      }
    }
    const std::size_t at = prev.size() - overlap;
    EXPECT_GT(overlap, 0u) << "chunk " << i << " does not overlap";
    EXPECT_LE(CountCodePoints(prev.substr(at)), 50u);
    EXPECT_TRUE(at == 0 || prev[at - 1] == ' ' || prev[at - 1] == '\n') << prev.substr(at);
  }
}

TEST_F(ChunkerTest, SplitsALongParagraphAtSentenceEnds) {
  Chunker chunker(Options(250, 0), sink_);
  std::string paragraph;
  for (int s = 0; s < 10; ++s) paragraph += Sentence(s) + " ";
  ASSERT_TRUE(chunker.Write(paragraph).ok());
  ASSERT_TRUE(chunker.Finish().ok());
  ASSERT_GE(chunks_.size(), 4u);
  for (const Chunk& c : chunks_) {
    EXPECT_EQ(c.text.back(), '.') << c.text;
    EXPECT_TRUE(c.text.starts_with("Paket kiloan nomor")) << c.text;
  }
}

TEST_F(ChunkerTest, CutsAWordLongerThanAChunkAtCodePoints) {
  Chunker chunker(Options(16, 4), sink_);
  std::string blob;
  for (int i = 0; i < 40; ++i) blob += "é😀";
  ASSERT_TRUE(chunker.Write(blob).ok());
  ASSERT_TRUE(chunker.Finish().ok());
  std::string joined;
  for (const Chunk& c : chunks_) {
    EXPECT_TRUE(IsValidUtf8(c.text));
    EXPECT_LE(CountCodePoints(c.text), 16u);
    joined += c.text;
  }
  EXPECT_EQ(joined, blob);  // no word boundary inside: nothing to overlap, nothing lost
}

TEST_F(ChunkerTest, SectionsFollowHeadingsAndNeverShareAChunk) {
  Chunker chunker(Options(500, 100), sink_);
  ASSERT_TRUE(chunker.Write("Pengantar singkat.").ok());
  ASSERT_TRUE(chunker.Heading(1, "Harga").ok());
  ASSERT_TRUE(chunker.Heading(2, " Paket\tkiloan ").ok());
  ASSERT_TRUE(chunker.Write("Rp7.000 per kg.").ok());
  ASSERT_TRUE(chunker.Heading(2, "Paket satuan").ok());
  ASSERT_TRUE(chunker.Write("Kemeja Rp10.000.").ok());
  ASSERT_TRUE(chunker.Heading(1, "Kontak").ok());
  ASSERT_TRUE(chunker.Write("WhatsApp 0812.").ok());
  ASSERT_TRUE(chunker.Finish().ok());
  ASSERT_EQ(chunks_.size(), 4u);
  EXPECT_EQ(chunks_[0].heading, "");
  EXPECT_EQ(chunks_[0].text, "Pengantar singkat.");
  EXPECT_EQ(chunks_[1].heading, "Harga > Paket kiloan");
  EXPECT_EQ(chunks_[1].text, "Rp7.000 per kg.");  // no overlap carried across sections
  EXPECT_EQ(chunks_[2].heading, "Harga > Paket satuan");
  EXPECT_EQ(chunks_[2].text, "Kemeja Rp10.000.");
  EXPECT_EQ(chunks_[3].heading, "Kontak");
}

TEST_F(ChunkerTest, LineBreaksSurviveInsideAParagraph) {
  Chunker chunker(Options(200, 0), sink_);
  ASSERT_TRUE(chunker.Write("Menu | Harga  ").ok());
  ASSERT_TRUE(chunker.LineBreak().ok());
  ASSERT_TRUE(chunker.LineBreak().ok());
  ASSERT_TRUE(chunker.Write("  Kopi | 15.000").ok());
  ASSERT_TRUE(chunker.Finish().ok());
  ASSERT_EQ(chunks_.size(), 1u);
  EXPECT_EQ(chunks_[0].text, "Menu | Harga\nKopi | 15.000");
}

TEST_F(ChunkerTest, StreamsAParagraphWithoutBlankLines) {
  Chunker chunker(Options(1000, 100), sink_);
  std::size_t written = 0;
  for (int s = 0; written < (1u << 20); ++s) {
    const std::string line = Sentence(s) + "\n";
    written += line.size();
    ASSERT_TRUE(chunker.Write(line).ok());
  }
  // Chunks left before the end: the paragraph is not held whole.
  EXPECT_GT(chunks_.size(), 500u);
  ASSERT_TRUE(chunker.Finish().ok());
  for (const Chunk& c : chunks_) EXPECT_LE(CountCodePoints(c.text), 1000u);
}

TEST_F(ChunkerTest, EnforcesChunkAndTextLimits) {
  ChunkerOptions few = Options(50, 0);
  few.max_chunks = 2;
  Chunker chunker(few, sink_);
  Status s = Status::Ok();
  for (int i = 0; i < 10 && s.ok(); ++i) s = chunker.Write(Sentence(i) + " ");
  if (s.ok()) s = chunker.Finish();
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(chunks_.size(), 2u);

  ChunkerOptions small_text = Options(50, 0);
  small_text.max_text_bytes = 100;
  Chunker limited(small_text, sink_);
  EXPECT_TRUE(limited.Write(std::string(60, 'a')).ok());
  EXPECT_EQ(limited.Write(std::string(60, 'b')).code(), StatusCode::kResourceExhausted);
}

TEST_F(ChunkerTest, ASinkErrorStopsAndIsReturned) {
  int calls = 0;
  std::function<Status(Chunk &&)> failing = [&](Chunk&&) {
    ++calls;
    return Unavailable("database is down");
  };
  Chunker chunker(Options(40, 0), failing);
  Status s = Status::Ok();
  for (int i = 0; i < 10 && s.ok(); ++i) s = chunker.Write(Sentence(i) + " ");
  if (s.ok()) s = chunker.Finish();
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_EQ(s.message(), "database is down");
  EXPECT_EQ(calls, 1);
}

TEST(TailWordsTest, StartsAtAWord) {
  EXPECT_EQ(TailWords("satu dua tiga", 7), "tiga");
  EXPECT_EQ(TailWords("satu dua tiga", 8), "dua tiga");
  EXPECT_EQ(TailWords("satu dua tiga", 100), "satu dua tiga");
  EXPECT_EQ(TailWords("satu dua tiga", 0), "");
  EXPECT_EQ(TailWords("satuduatiga", 5), "");
}

TEST(ChunkerOptionsTest, RejectsTinyChunks) {
  ChunkerOptions o;
  o.max_chars = 3;
  EXPECT_EQ(Chunker::CheckOptions(o).code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace milkyhoop::rag::ingest
