#include "milkyhoop/assistant/product_match.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::assistant {
namespace {

const std::vector<CatalogueProduct> kCatalogue = {{"p1", "Kaos Polos Hitam"},
                                                  {"p2", "Kopi Susu"},
                                                  {"p3", "Kopi Hitam"},
                                                  {"p4", "Nasi Goreng"},
                                                  {"p5", "Telur Ayam"},
                                                  {"p6", "Crème Brûlée"},
                                                  {"p7", "Donut"},
                                                  {"p8", "Semen Tiga Roda"}};

std::vector<std::string> Ids(const ProductMatch& m) {
  std::vector<std::string> ids;
  for (const auto& c : m.candidates) ids.push_back(c.id);
  return ids;
}

TEST(MatchProduct, ExactIgnoresCaseAccentsAndPunctuation) {
  auto m = MatchProduct("nasi goreng", kCatalogue);
  EXPECT_EQ(m.kind, ProductMatch::Kind::kExact);
  EXPECT_EQ(Ids(m), std::vector<std::string>{"p4"});
  m = MatchProduct("creme brulee", kCatalogue);
  EXPECT_EQ(m.kind, ProductMatch::Kind::kExact);
  EXPECT_EQ(Ids(m), std::vector<std::string>{"p6"});
}

TEST(MatchProduct, AWordOfOneProductIsAUniqueMatch) {
  auto m = MatchProduct("kaos", kCatalogue);
  EXPECT_EQ(m.kind, ProductMatch::Kind::kUnique);
  EXPECT_EQ(Ids(m), std::vector<std::string>{"p1"});
  m = MatchProduct("semen", kCatalogue);
  EXPECT_EQ(Ids(m), std::vector<std::string>{"p8"});
}

TEST(MatchProduct, PluralsAndEnglishWords) {
  auto m = MatchProduct("donuts", kCatalogue);
  EXPECT_EQ(m.kind, ProductMatch::Kind::kUnique);
  EXPECT_EQ(Ids(m), std::vector<std::string>{"p7"});
  m = MatchProduct("eggs", kCatalogue);
  EXPECT_EQ(m.kind, ProductMatch::Kind::kUnique);
  EXPECT_EQ(Ids(m), std::vector<std::string>{"p5"});
}

TEST(MatchProduct, AWordOfSeveralProductsIsAmbiguous) {
  const auto m = MatchProduct("kopi", kCatalogue);
  EXPECT_EQ(m.kind, ProductMatch::Kind::kAmbiguous);
  EXPECT_EQ(Ids(m), (std::vector<std::string>{"p3", "p2"}));  // by name
}

TEST(MatchProduct, ToleratesTyposByLength) {
  auto m = MatchProduct("kopi susuu", kCatalogue);
  EXPECT_EQ(m.kind, ProductMatch::Kind::kUnique);
  EXPECT_EQ(Ids(m), std::vector<std::string>{"p2"});
  m = MatchProduct("nasi goerng", kCatalogue);  // swapped letters
  EXPECT_EQ(Ids(m), std::vector<std::string>{"p4"});
  m = MatchProduct("kaso", kCatalogue);
  EXPECT_EQ(Ids(m), std::vector<std::string>{"p1"});
  // Short words get no tolerance: "teh" is not "tel…", "tas" is not "kaos".
  EXPECT_EQ(MatchProduct("tas", kCatalogue).kind, ProductMatch::Kind::kNone);
}

TEST(MatchProduct, NothingSimilarIsNone) {
  EXPECT_EQ(MatchProduct("sepatu", kCatalogue).kind, ProductMatch::Kind::kNone);
  EXPECT_EQ(MatchProduct("", kCatalogue).kind, ProductMatch::Kind::kNone);
  EXPECT_EQ(MatchProduct("😀", kCatalogue).kind, ProductMatch::Kind::kNone);
  EXPECT_EQ(MatchProduct("kaos", {}).kind, ProductMatch::Kind::kNone);
  EXPECT_TRUE(MatchProduct("sepatu", kCatalogue).candidates.empty());
}

TEST(MatchProduct, AMoreSpecificSpokenNameStillFindsTheProduct) {
  const auto m = MatchProduct("kaos polos hitam ukuran xl", kCatalogue);
  EXPECT_EQ(m.kind, ProductMatch::Kind::kUnique);
  EXPECT_EQ(Ids(m), std::vector<std::string>{"p1"});
}

TEST(MatchProduct, AmbiguousListsAtMostFive) {
  std::vector<CatalogueProduct> many;
  for (int i = 0; i < 9; ++i)
    many.push_back({"k" + std::to_string(i), "Kaos " + std::to_string(i)});
  const auto m = MatchProduct("kaos", many);
  EXPECT_EQ(m.kind, ProductMatch::Kind::kAmbiguous);
  EXPECT_EQ(m.candidates.size(), 5u);
}

}  // namespace
}  // namespace milkyhoop::assistant
