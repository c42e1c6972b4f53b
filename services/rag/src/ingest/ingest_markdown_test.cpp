#include <gtest/gtest.h>

#include "milkyhoop/rag/ingest.hpp"
#include "testing/collect.hpp"

namespace milkyhoop::rag {
namespace {

using testing::IngestAll;

constexpr std::string_view kLaundry = R"(# Laundry Bersih Wangi

Kami buka **setiap hari** pukul 08.00–21.00. Info: [WhatsApp](https://wa.me/62812).

## Harga

### Paket kiloan

| Paket | Harga | Durasi |
|-------|------:|:------:|
| Reguler | Rp7.000/kg | 3 hari |
| *Kilat* | Rp12.000/kg | 1 hari |

### Paket satuan

- Kemeja: Rp10.000
- Bed cover **besar**: Rp35.000
1. Jas: Rp25.000

Layanan antar
-------------

Gratis untuk jarak di bawah 3 km.
> Syarat berlaku, lihat `ketentuan_antar`.

```
kode_promo = "HEMAT10"
  diskon  10%
```

[ketentuan]: https://contoh.id/ketentuan
)";

TEST(IngestMarkdownTest, HeadingsBecomePathsAndMarkupIsStripped) {
  auto chunks = IngestAll(DocumentFormat::kMarkdown, kLaundry);
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  ASSERT_EQ(chunks->size(), 4u);
  const auto& c = *chunks;

  EXPECT_EQ(c[0].heading, "Laundry Bersih Wangi");
  EXPECT_EQ(c[0].text, "Kami buka setiap hari pukul 08.00–21.00. Info: WhatsApp.");

  EXPECT_EQ(c[1].heading, "Laundry Bersih Wangi > Harga > Paket kiloan");
  EXPECT_EQ(c[1].text,
            "Paket | Harga | Durasi\nReguler | Rp7.000/kg | 3 hari\nKilat | Rp12.000/kg | 1 hari");

  EXPECT_EQ(c[2].heading, "Laundry Bersih Wangi > Harga > Paket satuan");
  EXPECT_EQ(c[2].text, "Kemeja: Rp10.000\nBed cover besar: Rp35.000\nJas: Rp25.000");

  // A setext heading (level 2) replaces "Harga" under the title.
  EXPECT_EQ(c[3].heading, "Laundry Bersih Wangi > Layanan antar");
  EXPECT_EQ(c[3].text,
            "Gratis untuk jarak di bawah 3 km. Syarat berlaku, lihat ketentuan_antar.\n\n"
            "kode_promo = \"HEMAT10\"\ndiskon 10%");
}

TEST(IngestMarkdownTest, HashtagsAndClosingHashesAndFenceContent) {
  auto chunks = IngestAll(DocumentFormat::kMarkdown,
                          "## Jam buka ##\n#promo minggu ini\n\n~~~\n# bukan judul\n~~~\n");
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  ASSERT_EQ(chunks->size(), 1u);
  EXPECT_EQ((*chunks)[0].heading, "Jam buka");
  EXPECT_EQ((*chunks)[0].text, "#promo minggu ini\n\n# bukan judul");
}

TEST(IngestMarkdownTest, PipeTablesWithoutOuterPipes) {
  auto chunks =
      IngestAll(DocumentFormat::kMarkdown, "Menu | Harga\n--- | ---\nKopi | 15rb\nTeh | 8rb\n");
  ASSERT_TRUE(chunks.ok()) << chunks.status().ToString();
  ASSERT_EQ(chunks->size(), 1u);
  EXPECT_EQ((*chunks)[0].text, "Menu | Harga\nKopi | 15rb\nTeh | 8rb");
}

}  // namespace
}  // namespace milkyhoop::rag
