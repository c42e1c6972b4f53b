#include "knowledge_index.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace milkyhoop::rag {
namespace {

Passage Make(std::string id, std::string type, std::string source, std::string title,
             std::string text) {
  Passage p;
  p.entry_id = std::move(id);
  p.source_type = std::move(type);
  p.source_id = std::move(source);
  p.title = std::move(title);
  p.text = std::move(text);
  return p;
}

TEST(KnowledgeIndexTest, RemovingASourceRemovesAllItsPassages) {
  KnowledgeIndex index;
  index.Put(Make("chunk:1", "document", "doc_1", "Harga", "cuci kiloan tujuh ribu"));
  index.Put(Make("chunk:2", "document", "doc_1", "Harga", "cuci express dua belas ribu"));
  index.Put(Make("faq:1", "faq", "faq_1", "Ada cuci express?", "Ada."));
  EXPECT_EQ(index.size(), 3u);
  index.RemoveSource("document", "doc_1");
  EXPECT_EQ(index.size(), 1u);
  EXPECT_FALSE(index.Find("chunk:1").has_value());
  auto hits = index.keyword().Search("cuci express", 5);
  ASSERT_EQ(hits.hits.size(), 1u);
  EXPECT_EQ(hits.hits[0].id, "faq:1");
}

TEST(KnowledgeIndexTest, VectorsOfAnotherDimensionStayOutOfVectorSearch) {
  KnowledgeIndex index;
  Passage a = Make("faq:a", "faq", "a", "A", "alpha");
  a.embedding = {1, 0, 0};
  index.Put(a);
  Passage b = Make("faq:b", "faq", "b", "B", "beta");
  b.embedding = {1, 0};  // another model's size
  index.Put(b);
  ASSERT_NE(index.vectors(), nullptr);
  EXPECT_EQ(index.vectors()->size(), 1u);
  EXPECT_EQ(index.size(), 2u);
}

TEST(IndexRegistryTest, LoadsOncePerBusinessAndAppliesWritesOnlyWhenLoaded) {
  std::atomic<int> loads{0};
  IndexRegistry registry([&](const std::string& org, const std::string& business) {
    ++loads;
    std::vector<Passage> out;
    out.push_back(Make("faq:" + org + business, "faq", business, "Q " + business, "A"));
    return Result<std::vector<Passage>>(std::move(out));
  });
  bool applied = false;
  registry.IfLoaded("org", "b1", [&](KnowledgeIndex&) { applied = true; });
  EXPECT_FALSE(applied);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&] { ASSERT_TRUE(registry.Get("org", "b1").ok()); });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(loads.load(), 1);
  registry.IfLoaded("org", "b1", [&](KnowledgeIndex& index) {
    applied = true;
    EXPECT_EQ(index.size(), 1u);
  });
  EXPECT_TRUE(applied);
  // Another organisation naming the same business gets its own (here: separately loaded) index.
  auto other = registry.Get("org2", "b1");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(loads.load(), 2);
  EXPECT_TRUE((*other)->Find("faq:org2b1").has_value());
  EXPECT_FALSE((*other)->Find("faq:orgb1").has_value());
}

}  // namespace
}  // namespace milkyhoop::rag
