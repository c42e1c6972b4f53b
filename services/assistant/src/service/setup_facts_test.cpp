#include "setup_facts.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::assistant::setup {
namespace {

TEST(SetupFacts, ASentenceWithLabelsGivesSeveralFields) {
  const Facts f = ReadFacts(
      "Saya punya warung makan namanya Warung Bu Sari, alamatnya Jl. Merdeka No. 10, Bandung. "
      "Buka setiap hari 08.00-21.00, WA 0812-3456-7890",
      std::nullopt);
  EXPECT_EQ(f.name, "Warung Bu Sari");
  EXPECT_EQ(f.category, "makanan");
  EXPECT_EQ(f.address, "Jl. Merdeka No. 10, Bandung");
  ASSERT_TRUE(f.hours.has_value());
  EXPECT_EQ(f.hours->text, "Setiap hari 08.00–21.00");
  EXPECT_EQ(f.hours->week.size(), 7u);
  EXPECT_EQ(f.phone, "081234567890");
}

TEST(SetupFacts, ABareAnswerAnswersTheFieldAsked) {
  EXPECT_EQ(ReadFacts("Kopi Senja", Field::kName).name, "Kopi Senja");
  EXPECT_EQ(ReadFacts("jasa titip", Field::kCategory).category, "jasa titip");
  EXPECT_EQ(ReadFacts("Ruko Sentosa blok B2, Depok", Field::kAddress).address,
            "Ruko Sentosa blok B2, Depok");
  // A field with a shape is not taken whole: "besok" is no phone number.
  EXPECT_FALSE(ReadFacts("besok", Field::kPhone).phone.has_value());
  EXPECT_FALSE(ReadFacts("lewati", Field::kAddress).address.has_value());
  EXPECT_TRUE(IsSkip("Lewati."));
  EXPECT_TRUE(IsSkip("tidak ada"));
  EXPECT_FALSE(IsSkip("ada"));
}

TEST(SetupFacts, OpeningHoursInTheWaysOwnersWriteThem) {
  auto h = ReadHours("senin-sabtu jam 8 sampai 17");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->text, "Senin–Sabtu 08.00–17.00");
  ASSERT_EQ(h->week.size(), 6u);
  EXPECT_EQ(h->week.front().weekday, 1);
  EXPECT_EQ(h->week.back().weekday, 6);
  EXPECT_EQ(h->week.front().open, "08:00");
  h = ReadHours("buka jam 7 pagi - 9 malam");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->text, "Setiap hari 07.00–21.00");
  h = ReadHours("buka 24 jam");
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->week.front().close, "23:59");
  EXPECT_FALSE(ReadHours("tergantung cuaca").has_value());
  EXPECT_FALSE(ReadHours("21.00-08.00").has_value());  // closing before opening
}

TEST(SetupFacts, ProductsWithPricesReuseTheRupiahGrammar) {
  const auto products = ReadProducts("kopi susu 15rb, es teh 5 ribu dan roti bakar Rp 12.000");
  ASSERT_EQ(products.size(), 3u);
  EXPECT_EQ(products[0].name, "Kopi susu");
  EXPECT_EQ(products[0].price, 15000);
  EXPECT_EQ(products[1].name, "Es teh");
  EXPECT_EQ(products[1].price, 5000);
  EXPECT_EQ(products[2].name, "Roti bakar");
  EXPECT_EQ(products[2].price, 12000);
  // Decimal commas are not separators; segments without a price are ignored.
  const auto more = ReadProducts("paket keluarga 1,5jt; tanya dulu");
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(more[0].price, 1'500'000);
  EXPECT_EQ(ReadFacts("menu: nasi goreng 15rb, mie ayam 12rb", std::nullopt).products.size(), 2u);
}

TEST(SetupFacts, PhonesAndCategories) {
  EXPECT_EQ(ReadPhone("hubungi +62 812 3456 7890 ya"), "+6281234567890");
  EXPECT_FALSE(ReadPhone("harga 15000").has_value());
  EXPECT_EQ(ReadCategory("Laundry Kilat"), "laundry");
  EXPECT_EQ(ReadCategory("warung kopi pak budi"), "kafe");
  EXPECT_FALSE(ReadCategory("Warung Bu Sari").has_value());  // a warung may sell anything
}

TEST(SetupFacts, OddInputIsHarmless) {
  std::string huge(2000, 'x');
  const Facts f = ReadFacts(huge, Field::kName);
  ASSERT_TRUE(f.name.has_value());
  EXPECT_LE(f.name->size(), 100u);
  EXPECT_TRUE(ReadProducts("😀😀 12345678901234567890 ,,, ;;").empty());
  EXPECT_FALSE(ReadHours("99:99-100").has_value());
}

}  // namespace
}  // namespace milkyhoop::assistant::setup
