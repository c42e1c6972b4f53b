#include <gtest/gtest.h>

#include "milkyhoop/rag/ingest.hpp"
#include "testing/collect.hpp"

namespace milkyhoop::rag {
namespace {

using testing::AllText;
using testing::IngestAll;

constexpr std::string_view kPage = R"(<!DOCTYPE html>
<html><head><title>Warung Kopi</title>
<style>body { color: red } h1 { font: 12px }</style>
<script>var harga = "<p>rahasia</p>"; if (a < b) {}</script>
</head>
<body>
<!-- navigasi -->
<nav><a href="/">Beranda</a></nav>
<h1>Warung Kopi &amp; Teh</h1>
<p>Buka <b>setiap&nbsp;hari</b>, 08.00&ndash;22.00.<br>Caf&eacute; &#8364;5 &#x1F600; &copy;</p>
<h2 class="x">Menu <span>minuman</span></h2>
<table>
  <tr><th>Nama</th><th>Harga</th></tr>
  <tr><td>Kopi susu</td><td>Rp15.000</td></tr>
  <tr><td>Teh &quot;tarik&quot;</td><td>Rp8.000</td></tr>
</table>
<h3>Catatan</h3>
<ul><li>Harga &lt; Rp20.000</li><li>AT&T bukan entitas; a < b</li></ul>
<pre>baris 1
baris 2</pre>
<div>Tanpa penutup
<p>Paragraf <i>kedua
</body></html>)";

TEST(IngestHtmlTest, ExtractsStructuredTextAndDropsWhatReadersDoNotSee) {
  auto chunks = IngestAll(DocumentFormat::kHtml, kPage);
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  ASSERT_EQ(chunks->size(), 4u);
  const auto& c = *chunks;
  EXPECT_EQ(c[0].heading, "");
  EXPECT_EQ(c[0].text, "Beranda");
  EXPECT_EQ(c[1].heading, "Warung Kopi & Teh");
  EXPECT_EQ(c[1].text, "Buka setiap hari, 08.00–22.00.\nCafé €5 😀 ©");
  EXPECT_EQ(c[2].heading, "Warung Kopi & Teh > Menu minuman");
  EXPECT_EQ(c[2].text, "Nama | Harga\nKopi susu | Rp15.000\nTeh \"tarik\" | Rp8.000");
  EXPECT_EQ(c[3].heading, "Warung Kopi & Teh > Menu minuman > Catatan");
  EXPECT_EQ(c[3].text,
            "Harga < Rp20.000\nAT&T bukan entitas; a < b\n\nbaris 1\nbaris 2\n\n"
            "Tanpa penutup\n\nParagraf kedua");
  const std::string all = AllText(c);
  for (const char* hidden : {"rahasia", "color", "navigasi", "var ", "DOCTYPE"}) {
    EXPECT_EQ(all.find(hidden), std::string::npos) << hidden;
  }
}

TEST(IngestHtmlTest, UnclosedScriptAndBrokenMarkupDoNotFail) {
  auto chunks = IngestAll(DocumentFormat::kHtml, "<p>Halo <b>dunia<p>lagi <script>x = 1;");
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  ASSERT_EQ(chunks->size(), 1u);
  EXPECT_EQ((*chunks)[0].text, "Halo dunia\n\nlagi");
  auto heading = IngestAll(DocumentFormat::kHtml, "<h2>Judul tanpa penutup<p>Isi</p>");
  ASSERT_TRUE(heading.ok()) << heading.status().ToString();
  ASSERT_EQ(heading->size(), 1u);
  EXPECT_EQ((*heading)[0].heading, "Judul tanpa penutup");
  EXPECT_EQ((*heading)[0].text, "Isi");
}

TEST(IngestHtmlTest, NumericReferencesAreSafe) {
  auto chunks =
      IngestAll(DocumentFormat::kHtml, "<p>&#0;&#xD800;&#x110000;&#150;&#99999999999;x</p>");
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  // Impossible code points become U+FFFD; C1 values are read as Windows-1252; an overlong
  // number is not a reference at all.
  EXPECT_EQ((*chunks)[0].text, "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD–&#99999999999;x");
}

}  // namespace
}  // namespace milkyhoop::rag
