#include "milkyhoop/rag/keyword_index.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <random>
#include <string>
#include <thread>
#include <vector>

namespace milkyhoop::rag {
namespace {

using ::testing::Contains;

std::vector<std::string> Ids(const KeywordSearch& s) {
  std::vector<std::string> ids;
  for (const auto& h : s.hits) ids.push_back(h.id);
  return ids;
}

class KeywordIndexTest : public ::testing::Test {
 protected:
  void SetUp() override {
    index_.Upsert({"hours", "Jam berapa toko buka?", "Setiap hari pukul 08.00 sampai 21.00.", 1.0});
    index_.Upsert(
        {"delivery", "Apakah bisa pesan antar?", "Bisa lewat kurir, ongkir Rp 5.000.", 1.0});
    index_.Upsert(
        {"payment", "Metode pembayaran apa saja?", "Tunai, QRIS dan transfer bank.", 1.0});
    index_.Upsert({"address", "Di mana alamat toko?", "Jl. Melati No. 12, Sleman.", 1.0});
    index_.Upsert({"halal", "Apakah makanannya halal?", "Semua menu halal, tanpa babi.", 1.0});
  }
  KeywordIndex index_;
};

TEST_F(KeywordIndexTest, FindsTheFaqOfAChatQuestion) {
  auto r = index_.Search("jam brp buka kak?", 3);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "hours");
  EXPECT_GE(r.confidence, 0.60);
  r = index_.Search("bisa delivery gak?", 3);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "delivery");  // through the synonym table
  r = index_.Search("bayar pake qris bisa?", 3);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "payment");
}

TEST_F(KeywordIndexTest, TitleWeighsMoreThanBody) {
  KeywordIndex index;
  index.Upsert({"in-body", "Informasi toko", "Kami juga menjual kopi susu gula aren.", 1.0});
  index.Upsert({"in-title", "Kopi susu", "Minuman favorit pelanggan kami setiap hari.", 1.0});
  const auto r = index.Search("kopi susu", 2);
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].id, "in-title");
  EXPECT_GT(r.hits[0].score, r.hits[1].score);
}

TEST_F(KeywordIndexTest, RareTermsOutweighCommonOnes) {
  KeywordIndex index;
  for (int i = 0; i < 10; ++i) {
    index.Upsert({"common" + std::to_string(i), "Roti tawar", "Roti segar setiap pagi.", 1.0});
  }
  index.Upsert({"rare", "Roti keto", "Roti rendah karbohidrat.", 1.0});
  EXPECT_EQ(index.Search("roti keto", 3).hits[0].id, "rare");
}

TEST_F(KeywordIndexTest, BoostScalesTheScore) {
  KeywordIndex index;
  index.Upsert({"faq", "Harga nasi goreng", "Rp 15.000", 1.0});
  index.Upsert({"product", "Harga nasi goreng", "Rp 15.000", 0.5});
  const auto r = index.Search("harga nasi goreng", 2);
  ASSERT_EQ(r.hits.size(), 2u);
  EXPECT_EQ(r.hits[0].id, "faq");
  EXPECT_NEAR(r.hits[1].score, r.hits[0].score * 0.5, 1e-6 * r.hits[0].score);
}

TEST_F(KeywordIndexTest, CorrectsTyposAgainstTheVocabulary) {
  auto r = index_.Search("pembayarn", 3);  // one letter missing
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "payment");
  EXPECT_THAT(r.terms, Contains("bayar"));
  r = index_.Search("alamt", 3);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "address");
  // Too short to correct safely: nothing.
  EXPECT_TRUE(index_.Search("jab", 3).hits.empty());
}

TEST_F(KeywordIndexTest, OffTopicQuestionsGetLowConfidence) {
  EXPECT_LT(index_.Search("cuaca jogja besok gimana", 3).confidence, 0.30);
  EXPECT_LT(index_.Search("siapa presiden indonesia", 3).confidence, 0.30);
  EXPECT_LT(index_.Search("bisa gak?", 3).confidence, 0.30);  // only generic words match
}

TEST_F(KeywordIndexTest, UpsertReplacesTheEntryWithTheSameId) {
  index_.Upsert({"halal", "Apakah ada parkir?", "Parkir motor di depan.", 1.0});
  EXPECT_EQ(index_.size(), 5u);
  EXPECT_THAT(Ids(index_.Search("halal", 5)), ::testing::Not(Contains("halal")));
  EXPECT_EQ(index_.Search("parkir motor", 5).hits.at(0).id, "halal");
}

TEST_F(KeywordIndexTest, RemoveIsHonouredByTheNextSearch) {
  ASSERT_EQ(index_.Search("alamat toko", 1).hits.at(0).id, "address");
  index_.Remove("address");
  EXPECT_EQ(index_.size(), 4u);
  EXPECT_THAT(Ids(index_.Search("alamat toko", 5)), ::testing::Not(Contains("address")));
  index_.Remove("address");  // removing twice is harmless
  index_.Remove("never-there");
  EXPECT_EQ(index_.size(), 4u);
}

TEST_F(KeywordIndexTest, ManyRemovalsCompactAndSlotsAreReused) {
  KeywordIndex index;
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 200; ++i) {
      index.Upsert({"e" + std::to_string(i), "Produk " + std::to_string(round),
                    "kata" + std::to_string(i), 1.0});
    }
  }
  EXPECT_EQ(index.size(), 200u);
  const auto r = index.Search("kata17", 5);
  ASSERT_FALSE(r.hits.empty());
  EXPECT_EQ(r.hits[0].id, "e17");
  for (int i = 0; i < 200; ++i) index.Remove("e" + std::to_string(i));
  EXPECT_EQ(index.size(), 0u);
  EXPECT_TRUE(index.Search("kata17", 5).hits.empty());
}

TEST_F(KeywordIndexTest, TopKAndEmptyQueries) {
  EXPECT_LE(index_.Search("toko", 1).hits.size(), 1u);
  EXPECT_TRUE(index_.Search("toko", 0).hits.empty());
  const auto empty = index_.Search("", 5);
  EXPECT_TRUE(empty.hits.empty());
  EXPECT_EQ(empty.confidence, 0.0);
  KeywordIndex nothing;
  EXPECT_TRUE(nothing.Search("jam buka", 5).hits.empty());
}

TEST_F(KeywordIndexTest, ConfidenceIsAlwaysWithinZeroAndOne) {
  const std::vector<std::string> words{"jam",      "buka",  "toko",   "halal",  "babi",
                                       "xyz",      "bisa",  "berapa", "ongkir", "qris",
                                       "transfer", "alamt", "kak",    "?"};
  std::mt19937 rng(42);
  for (int i = 0; i < 2000; ++i) {
    std::string q;
    for (int w = 0; w < 1 + i % 5; ++w) q += words[rng() % words.size()] + " ";
    const auto r = index_.Search(q, 3);
    ASSERT_GE(r.confidence, 0.0) << q;
    ASSERT_LE(r.confidence, 1.0) << q;
  }
}

TEST_F(KeywordIndexTest, MemoryGrowsWithEntries) {
  KeywordIndex index;
  const auto before = index.MemoryBytes();
  for (int i = 0; i < 100; ++i)
    index.Upsert({"e" + std::to_string(i), "judul", "isi teks " + std::to_string(i), 1.0});
  EXPECT_GT(index.MemoryBytes(), before);
}

TEST_F(KeywordIndexTest, SearchRunsConcurrentlyWithUpsertAndRemove) {
  std::atomic<bool> stop{false};
  std::atomic<int> searches{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        const auto r = index_.Search("jam buka toko", 5);
        // The entry "hours" is never touched by the writer: always found.
        if (r.hits.empty() || r.hits[0].id != "hours") ADD_FAILURE() << "hours not found first";
        ++searches;
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    index_.Upsert(
        {"tmp" + std::to_string(i % 50), "Produk baru", "teks " + std::to_string(i), 0.8});
    if (i % 3 == 0) index_.Remove("tmp" + std::to_string((i + 7) % 50));
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_GT(searches.load(), 0);
}

}  // namespace
}  // namespace milkyhoop::rag
