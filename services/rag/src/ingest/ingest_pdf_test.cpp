#include <atomic>
#include <thread>

#include <gtest/gtest.h>

#include "milkyhoop/rag/ingest.hpp"
#include "testing/collect.hpp"
#include "testing/pdf_writer.hpp"
#include "utf8.hpp"

namespace milkyhoop::rag {
namespace {

using testing::AllText;
using testing::IngestAll;
using testing::MakePdf;

std::string ThreePagePdf() {
  return MakePdf({
      {"Daftar Harga Laundry Bersih Wangi", "Cuci kering setrika Rp7.000 per kg.",
       "Layanan kilat (1 hari) Rp12.000 per kg."},
      {"Halaman dua: syarat dan ketentuan.", "Pakaian luntur bukan tanggung jawab kami.",
       "Caf\xC3\xA9 dan cr\xC3\xA8me: noda kopi dicuci khusus."},
      {"Halaman tiga: kontak WhatsApp 0812-3456-7890."},
  });
}

TEST(IngestPdfTest, ExtractsTheTextOfEveryPageInOrder) {
  auto chunks = IngestAll(DocumentFormat::kPdf, ThreePagePdf());
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  ASSERT_FALSE(chunks->empty());
  const std::string all = AllText(*chunks);
  const std::size_t a = all.find("Daftar Harga Laundry Bersih Wangi");
  const std::size_t b = all.find("Pakaian luntur bukan tanggung jawab kami.");
  const std::size_t c = all.find("kontak WhatsApp 0812-3456-7890");
  ASSERT_NE(a, std::string::npos) << all;
  ASSERT_NE(b, std::string::npos) << all;
  ASSERT_NE(c, std::string::npos) << all;
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_NE(all.find("Café dan crème"), std::string::npos) << all;  // WinAnsi → UTF-8
  EXPECT_NE(all.find("Layanan kilat (1 hari) Rp12.000"), std::string::npos) << all;
  for (const Chunk& chunk : *chunks) EXPECT_TRUE(ingest::IsValidUtf8(chunk.text));
}

TEST(IngestPdfTest, ManyPagesMakeBoundedChunks) {
  std::vector<std::vector<std::string>> pages;
  for (int p = 0; p < 30; ++p) {
    std::vector<std::string> lines;
    for (int l = 0; l < 20; ++l) {
      lines.push_back("Halaman " + std::to_string(p) + " baris " + std::to_string(l) +
                      " berisi keterangan produk dan harga.");
    }
    pages.push_back(lines);
  }
  ChunkOptions options;
  options.max_chars = 400;
  options.overlap_chars = 60;
  auto chunks = IngestAll(DocumentFormat::kPdf, MakePdf(pages), options);
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  EXPECT_GT(chunks->size(), 30u);
  for (const Chunk& c : *chunks) EXPECT_LE(ingest::CountCodePoints(c.text), 400u);
  const std::string all = AllText(*chunks);
  EXPECT_NE(all.find("Halaman 29 baris 19 "), std::string::npos);
}

void ExpectRejected(std::string_view bytes, std::string_view words) {
  auto chunks = IngestAll(DocumentFormat::kPdf, bytes);
  ASSERT_FALSE(chunks.ok());
  EXPECT_EQ(chunks.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(chunks.status().message().find(words), std::string::npos) << chunks.status().message();
}

TEST(IngestPdfTest, CorruptFilesAreRejectedWithAReason) {
  const std::string pdf = ThreePagePdf();
  ExpectRejected(pdf.substr(0, pdf.size() / 2), "truncated");
  ExpectRejected(pdf.substr(0, pdf.size() - 40), "truncated");
  ExpectRejected("Ini bukan PDF sama sekali", "not a PDF");
  std::string garbage = "%PDF-1.4\n";
  for (int i = 0; i < 5000; ++i) garbage += static_cast<char>((i * 7919) % 251);
  garbage += "\n%%EOF\n";
  ExpectRejected(garbage, "PDF");
}

TEST(IngestPdfTest, PasswordProtectedFilesAreRejected) {
  testing::PdfOptions options;
  options.password_protected = true;
  ExpectRejected(MakePdf({{"rahasia"}}, options), "password");
}

TEST(IngestPdfTest, PageLimit) {
  IngestLimits limits;
  limits.max_pdf_pages = 2;
  auto chunks = IngestAll(DocumentFormat::kPdf, ThreePagePdf(), {}, limits);
  EXPECT_EQ(chunks.status().code(), StatusCode::kResourceExhausted);
}

TEST(IngestPdfTest, TimeLimitIsCheckedBetweenPages) {
  IngestLimits limits;
  limits.max_duration = std::chrono::milliseconds(0);
  auto chunks = IngestAll(DocumentFormat::kPdf, ThreePagePdf(), {}, limits);
  EXPECT_EQ(chunks.status().code(), StatusCode::kDeadlineExceeded);
}

// The service ingests on a worker pool: documents on several threads at once must not interfere.
TEST(IngestPdfTest, ConcurrentDocuments) {
  const std::string pdf = ThreePagePdf();
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 10; ++i) {
        auto chunks = IngestAll(DocumentFormat::kPdf, pdf);
        if (chunks.ok() && AllText(*chunks).find("kontak WhatsApp") != std::string::npos) ++good;
      }
    });
  }
  for (std::thread& t : threads) t.join();
  EXPECT_EQ(good.load(), 40);
}

TEST(IngestPdfTest, APdfWithoutTextSaysSo) {
  ExpectRejected(MakePdf({{}, {}}), "no extractable text");
}

}  // namespace
}  // namespace milkyhoop::rag
