#include "milkyhoop/rag/vector_index.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <random>
#include <thread>
#include <vector>

namespace milkyhoop::rag {
namespace {

std::vector<float> RandomVector(std::mt19937& rng, std::size_t dims) {
  std::normal_distribution<float> n(0, 1);
  std::vector<float> v(dims);
  for (auto& x : v) x = n(rng);
  return v;
}

TEST(VectorIndexTest, FindsAKnownVectorFirst) {
  constexpr std::size_t kDims = 32;
  VectorIndex index(kDims);
  std::mt19937 rng(1);
  std::vector<std::vector<float>> vectors;
  for (int i = 0; i < 500; ++i) {  // beyond the initial capacity: the index grows
    vectors.push_back(RandomVector(rng, kDims));
    ASSERT_TRUE(index.Upsert("v" + std::to_string(i), vectors.back()).ok());
  }
  EXPECT_EQ(index.size(), 500u);
  for (int i : {0, 123, 499}) {
    const auto hits = index.Search(vectors[i], 3);
    ASSERT_FALSE(hits.empty());
    EXPECT_EQ(hits[0].id, "v" + std::to_string(i));
    EXPECT_NEAR(hits[0].similarity, 1.0, 1e-4);
    for (std::size_t h = 1; h < hits.size(); ++h)
      EXPECT_LE(hits[h].similarity, hits[h - 1].similarity);
  }
}

TEST(VectorIndexTest, SimilarityIsCosine) {
  VectorIndex index(2);
  ASSERT_TRUE(index.Upsert("x", std::vector<float>{10, 0}).ok());
  const auto hits = index.Search(std::vector<float>{1, 1}, 1);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NEAR(hits[0].similarity, std::sqrt(0.5), 1e-5);
}

TEST(VectorIndexTest, RemoveAndReinsert) {
  VectorIndex index(3);
  ASSERT_TRUE(index.Upsert("a", std::vector<float>{1, 0, 0}).ok());
  ASSERT_TRUE(index.Upsert("b", std::vector<float>{0, 1, 0}).ok());
  index.Remove("a");
  EXPECT_EQ(index.size(), 1u);
  auto hits = index.Search(std::vector<float>{1, 0, 0}, 5);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].id, "b");
  index.Remove("a");  // twice: harmless
  ASSERT_TRUE(index.Upsert("a", std::vector<float>{1, 0, 0}).ok());
  EXPECT_EQ(index.Search(std::vector<float>{1, 0, 0}, 1).at(0).id, "a");
}

TEST(VectorIndexTest, UpsertReplacesTheVector) {
  VectorIndex index(2);
  ASSERT_TRUE(index.Upsert("a", std::vector<float>{1, 0}).ok());
  ASSERT_TRUE(index.Upsert("b", std::vector<float>{0.6f, 0.8f}).ok());
  ASSERT_TRUE(index.Upsert("a", std::vector<float>{0, 1}).ok());
  EXPECT_EQ(index.size(), 2u);
  EXPECT_EQ(index.Search(std::vector<float>{0, 1}, 1).at(0).id, "a");
  EXPECT_EQ(index.Search(std::vector<float>{1, 0}, 1).at(0).id, "b");
}

TEST(VectorIndexTest, RejectsWrongDimensionsAndBadValues) {
  VectorIndex index(4);
  EXPECT_EQ(index.Upsert("a", std::vector<float>{1, 2, 3}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Upsert("a", std::vector<float>{1, 2, 3, std::nanf("")}).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(
      index.Upsert("a", std::vector<float>{std::numeric_limits<float>::infinity(), 0, 0, 0}).code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(index.Upsert("a", std::vector<float>{0, 0, 0, 0}).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(index.size(), 0u);
  ASSERT_TRUE(index.Upsert("a", std::vector<float>{1, 2, 3, 4}).ok());
  EXPECT_TRUE(index.Search(std::vector<float>{1, 2}, 3).empty());  // wrong query size
  EXPECT_EQ(index.dimensions(), 4u);
}

TEST(VectorIndexTest, ManyRemovalsRebuildTheGraph) {
  constexpr std::size_t kDims = 8;
  VectorIndex index(kDims);
  std::mt19937 rng(3);
  std::vector<std::vector<float>> vectors;
  for (int i = 0; i < 600; ++i) {
    vectors.push_back(RandomVector(rng, kDims));
    ASSERT_TRUE(index.Upsert("v" + std::to_string(i), vectors.back()).ok());
  }
  for (int i = 0; i < 550; ++i) index.Remove("v" + std::to_string(i));
  EXPECT_EQ(index.size(), 50u);
  for (int i = 550; i < 600; i += 7) {
    EXPECT_EQ(index.Search(vectors[i], 1).at(0).id, "v" + std::to_string(i));
  }
}

TEST(VectorIndexTest, ConcurrentSearchUpsertRemove) {
  constexpr std::size_t kDims = 16;
  VectorIndex index(kDims);
  std::mt19937 rng(5);
  const auto anchor = RandomVector(rng, kDims);
  ASSERT_TRUE(index.Upsert("anchor", anchor).ok());
  std::atomic<bool> stop{false};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        const auto hits = index.Search(anchor, 1);
        if (hits.empty() || hits[0].id != "anchor") ADD_FAILURE() << "anchor lost";
      }
    });
  }
  for (int i = 0; i < 600; ++i) {
    ASSERT_TRUE(index.Upsert("v" + std::to_string(i % 300), RandomVector(rng, kDims)).ok());
    if (i % 4 == 0) index.Remove("v" + std::to_string((i + 11) % 300));
  }
  stop = true;
  for (auto& t : readers) t.join();
}

}  // namespace
}  // namespace milkyhoop::rag
