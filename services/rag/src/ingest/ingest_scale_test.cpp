// Large documents: a ~20 MB PDF and a 100,000-line CSV go through in bounded memory, and the
// throughput of each extractor is logged (MB/s) for docs/BENCHMARKS.md.

#include <chrono>
#include <cstdio>
#include <ctime>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "milkyhoop/rag/ingest.hpp"
#include "testing/memory_probe.hpp"
#include "testing/pdf_writer.hpp"
#include "utf8.hpp"

namespace milkyhoop::rag {
namespace {

using testing::MemoryProbe;

// Peak memory may rise this much over the input while a document is ingested. Measured peaks
// are far lower (see the log lines); the bound leaves room for allocator behaviour.
constexpr std::size_t kMaxPeakGrowth = 64u << 20;

struct IngestRun {
  std::size_t chunks = 0;
  std::size_t text_bytes = 0;
  std::size_t max_chunk_chars = 0;
  double seconds = 0;      // wall clock
  double cpu_seconds = 0;  // this process's CPU time: steadier on a shared machine
  std::size_t peak_growth = 0;
  std::string first;
  std::string last;
};

// Ingests with a sink that keeps nothing but counters and the first and last chunk, as a
// streaming caller would.
IngestRun Ingest(DocumentFormat format, std::string_view bytes) {
  // No overlap, so the text out is exactly the text extracted (for MB/s of text).
  ChunkOptions chunking;
  chunking.overlap_chars = 0;
  IngestRun run;
  MemoryProbe probe;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  // Time is not what these tests measure: a sanitizer build on a busy machine may need minutes.
  IngestLimits limits;
  limits.max_duration = std::chrono::minutes(10);
  auto count = IngestDocument(format, bytes, limits, chunking, [&](Chunk&& c) {
    run.text_bytes += c.text.size();
    run.max_chunk_chars = std::max(run.max_chunk_chars, ingest::CountCodePoints(c.text));
    if (run.chunks++ == 0) run.first = c.text;
    run.last = std::move(c.text);
    return Status::Ok();
  });
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  run.cpu_seconds = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  run.peak_growth = probe.PeakGrowth();
  EXPECT_TRUE(count.ok()) << count.status().ToString();
  if (count.ok()) {
    EXPECT_EQ(*count, run.chunks);
  }
  std::printf(
      "[ingest] %-8s input %.1f MB, text out %.1f MB, %zu chunks; %.2f s wall, %.2f s CPU: "
      "%.1f MB/s of input, %.1f MB/s of text (CPU); peak memory +%.1f MB%s\n",
      std::string(DocumentFormatName(format)).c_str(), bytes.size() / 1e6, run.text_bytes / 1e6,
      run.chunks, run.seconds, run.cpu_seconds, bytes.size() / 1e6 / run.cpu_seconds,
      run.text_bytes / 1e6 / run.cpu_seconds, run.peak_growth / 1e6,
      probe.reset_peak() ? "" : " (peak not reset)");
  return run;
}

void ExpectBoundedMemory(const IngestRun& run) {
  if (testing::kUnderAsan) return;  // ASan's quarantine keeps freed memory resident
  EXPECT_LT(run.peak_growth, kMaxPeakGrowth);
}

std::string Line(int page, int line) {
  return "Hal " + std::to_string(page) + " baris " + std::to_string(line) +
         ": paket laundry kiloan reguler Rp7.000, kilat Rp12.000, antar jemput gratis.";
}

// The probe itself must see memory, or the bounds below could never fail.
TEST(IngestScaleTest, MemoryProbeSeesAnAllocation) {
  MemoryProbe probe;
  std::vector<char> block(48u << 20, 1);
  for (std::size_t i = 0; i < block.size(); i += 4096) block[i] = static_cast<char>(i);
  EXPECT_GE(probe.PeakGrowth(), 40u << 20);
  EXPECT_EQ(block[4096], 0);
}

TEST(IngestScaleTest, TwentyMegabytePdfStreamsPageByPage) {
  constexpr int kPages = 1000;
  constexpr int kLines = 100;
  std::string pdf;
  {
    std::vector<std::vector<std::string>> pages(kPages);
    for (int p = 0; p < kPages; ++p) {
      for (int l = 0; l < kLines; ++l) pages[p].push_back(Line(p, l));
    }
    testing::PdfOptions options;
    options.font_size = 6;
    options.leading = 7;
    options.kerned_words = true;
    pdf = testing::MakePdf(pages, options);
  }
  ASSERT_GT(pdf.size(), 19'000'000u);
  ASSERT_LT(pdf.size(), IngestLimits{}.max_input_bytes);
  const IngestRun run = Ingest(DocumentFormat::kPdf, pdf);
  EXPECT_GT(run.chunks, 1000u);
  EXPECT_LE(run.max_chunk_chars, 1200u);
  EXPECT_TRUE(run.first.starts_with(Line(0, 0))) << run.first.substr(0, 200);
  EXPECT_NE(run.last.find(Line(kPages - 1, kLines - 1)), std::string::npos)
      << run.last.substr(0, 300);
  ExpectBoundedMemory(run);
}

TEST(IngestScaleTest, HundredThousandLineCsvStreamsRowByRow) {
  std::string csv = "id,produk,kategori,harga,stok\n";
  for (int i = 1; i <= 100'000; ++i) {
    csv += std::to_string(i) + ",\"Kaos polos, ukuran " + std::to_string(i % 5 + 1) +
           "\",Pakaian," + std::to_string(45'000 + i % 100) + "," + std::to_string(i % 37) + "\n";
  }
  const IngestRun run = Ingest(DocumentFormat::kCsv, csv);
  EXPECT_LE(run.max_chunk_chars, 1200u);
  EXPECT_TRUE(run.first.starts_with("id: 1; produk: Kaos polos, ukuran 2; kategori: Pakaian;"))
      << run.first.substr(0, 200);
  EXPECT_NE(run.last.find("id: 100000; produk: Kaos polos, ukuran 1;"), std::string::npos);
  ExpectBoundedMemory(run);
}

TEST(IngestScaleTest, TextAndHtmlThroughput) {
  std::string text;
  std::string html = "<html><body>";
  for (int i = 0; text.size() < (10u << 20); ++i) {
    const std::string sentence = Line(i / 100, i % 100) + " Layanan cepat & rapi. ";
    text += sentence;
    html += "<p>" + sentence.substr(0, 40) + "<b>" + sentence.substr(40) + "</b></p>\n";
    if (i % 5 == 4) text += "\n\n";
    if (i % 50 == 49) html += "<h2>Bagian &quot;" + std::to_string(i) + "&quot;</h2>\n";
  }
  const IngestRun txt = Ingest(DocumentFormat::kText, text);
  EXPECT_GT(txt.text_bytes, text.size() * 9 / 10);
  ExpectBoundedMemory(txt);
  const IngestRun page = Ingest(DocumentFormat::kHtml, html);
  EXPECT_GT(page.text_bytes, text.size() * 9 / 10);
  ExpectBoundedMemory(page);
}

}  // namespace
}  // namespace milkyhoop::rag
