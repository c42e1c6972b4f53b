#include <gtest/gtest.h>

#include "milkyhoop/rag/ingest.hpp"
#include "testing/collect.hpp"
#include "utf8.hpp"

namespace milkyhoop::rag {
namespace {

using testing::IngestAll;

TEST(IngestCsvTest, RowsBecomeHeaderValueLinesGroupedIntoChunks) {
  auto chunks = IngestAll(DocumentFormat::kCsv,
                          "\xEF\xBB\xBFProduk,Harga,Catatan\r\n"
                          "Kopi susu,Rp15.000,\"manis, dingin\"\r\n"
                          "\r\n"
                          "Teh,Rp8.000,\r\n"
                          "\"Roti \"\"bakar\"\"\",Rp12.000,\"isi\ncoklat\",ekstra\r\n");
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  ASSERT_EQ(chunks->size(), 1u);
  EXPECT_EQ((*chunks)[0].text,
            "Produk: Kopi susu; Harga: Rp15.000; Catatan: manis, dingin\n"
            "Produk: Teh; Harga: Rp8.000\n"
            "Produk: Roti \"bakar\"; Harga: Rp12.000; Catatan: isi coklat; kolom 4: ekstra");
}

TEST(IngestCsvTest, ManyRowsSplitAtRowsWithoutOverlap) {
  std::string csv = "nama;harga\n";
  for (int i = 0; i < 200; ++i)
    csv += "Barang nomor " + std::to_string(i) + ";" + std::to_string(i * 1000) + "\n";
  ChunkOptions options;
  options.max_chars = 200;
  options.overlap_chars = 50;
  auto chunks = IngestAll(DocumentFormat::kCsv, csv, options);
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  ASSERT_GT(chunks->size(), 10u);
  int next_row = 0;
  for (const Chunk& c : *chunks) {
    EXPECT_LE(ingest::CountCodePoints(c.text), 200u);
    // Every line is one whole row, and rows continue where the previous chunk stopped.
    std::size_t start = 0;
    while (start < c.text.size()) {
      std::size_t end = c.text.find('\n', start);
      if (end == std::string::npos) end = c.text.size();
      EXPECT_EQ(c.text.substr(start, end - start),
                "nama: Barang nomor " + std::to_string(next_row) +
                    "; harga: " + std::to_string(next_row * 1000));
      ++next_row;
      start = end + 1;
    }
  }
  EXPECT_EQ(next_row, 200);
}

TEST(IngestCsvTest, LimitsAndMalformedInput) {
  IngestLimits limits;
  limits.max_csv_rows = 3;
  EXPECT_EQ(IngestAll(DocumentFormat::kCsv, "a\n1\n2\n3\n", {}, limits).status().code(),
            StatusCode::kOk);
  EXPECT_EQ(IngestAll(DocumentFormat::kCsv, "a\n1\n2\n3\n4\n", {}, limits).status().code(),
            StatusCode::kResourceExhausted);
  auto open = IngestAll(DocumentFormat::kCsv, "a,b\n1,\"belum ditutup\n");
  EXPECT_EQ(open.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(open.status().message().find("unterminated"), std::string::npos);
  auto binary = IngestAll(DocumentFormat::kCsv, std::string("PK\x03\x04\0\0\x08\0", 8));
  EXPECT_TRUE(binary.status().message().starts_with("file is not text"));
  EXPECT_EQ(IngestAll(DocumentFormat::kCsv, "hanya,header\n").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace milkyhoop::rag
