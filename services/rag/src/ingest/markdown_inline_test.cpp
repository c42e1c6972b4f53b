#include "markdown_inline.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::rag::ingest {
namespace {

TEST(MarkdownInlineTest, StripsEmphasisButNotArithmeticOrIdentifiers) {
  EXPECT_EQ(StripMarkdownInline("**Harga** _promo_ ~~lama~~ ***baru***"), "Harga promo lama baru");
  EXPECT_EQ(StripMarkdownInline("**Rp 10.000**: hemat"), "Rp 10.000: hemat");
  EXPECT_EQ(StripMarkdownInline("5 * 3 = 15, 2*4=8, file_name_v2, ~ 10 km"),
            "5 * 3 = 15, 2*4=8, file_name_v2, ~ 10 km");
}

TEST(MarkdownInlineTest, LinksAndImagesKeepTheirText) {
  EXPECT_EQ(StripMarkdownInline("Pesan di [WhatsApp kami](https://wa.me/62812) sekarang"),
            "Pesan di WhatsApp kami sekarang");
  EXPECT_EQ(StripMarkdownInline("![Foto *toko*](toko.jpg) dan [menu][m]"), "Foto toko dan menu");
  EXPECT_EQ(StripMarkdownInline("[PROMO] hari ini"), "[PROMO] hari ini");
  EXPECT_EQ(StripMarkdownInline("Lihat <https://contoh.id/menu>"), "Lihat https://contoh.id/menu");
}

TEST(MarkdownInlineTest, CodeSpansEscapesAndInlineHtml) {
  EXPECT_EQ(StripMarkdownInline("ketik `PROMO*2` di kasir"), "ketik PROMO*2 di kasir");
  EXPECT_EQ(StripMarkdownInline("\\*bukan miring\\*"), "*bukan miring*");
  EXPECT_EQ(StripMarkdownInline("harga <b>murah</b><!-- catatan --> < 5 kg"), "harga murah < 5 kg");
  EXPECT_EQ(StripMarkdownInline("`tidak tertutup"), "`tidak tertutup");
}

TEST(MarkdownInlineTest, UnmatchedBracketsStayLinear) {
  const std::string line(200'000, '[');
  EXPECT_EQ(StripMarkdownInline(line), line);
}

}  // namespace
}  // namespace milkyhoop::rag::ingest
