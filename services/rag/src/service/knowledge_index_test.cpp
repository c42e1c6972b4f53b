#include "knowledge_index.hpp"

#include <gtest/gtest.h>

#include <filesystem>

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

std::string Scratch() { return std::filesystem::temp_directory_path().string(); }

std::vector<std::string> Ids(const KeywordSearch& search) {
  std::vector<std::string> out;
  for (const auto& h : search.hits) out.push_back(h.id);
  return out;
}

TEST(KnowledgeIndexTest, AnExportedImageRestoresAnIndexThatAnswersAlike) {
  KnowledgeIndex index;
  index.Put(Make("faq:1", "faq", "1", "Jam buka toko?", "Buka jam 8 pagi sampai 9 malam."));
  index.Put(Make("faq:2", "faq", "2", "Bisa antar ke rumah?", "Bisa, ongkir mulai 5 ribu."));
  index.Put(Make("chunk:a", "document", "doc_1", "Harga", "Cuci kiloan 7 ribu per kilo."));
  Passage v = Make("faq:3", "faq", "3", "Bayar pakai QRIS?", "Bisa QRIS dan transfer.");
  v.embedding = {0.6f, 0.8f, 0.0f};
  index.Put(v);
  index.Remove("faq:2");  // a removed entry leaves a dead slot behind: not part of the image
  index.set_applied_seq(42);

  auto restored = KnowledgeIndex::Restore(*index.Export(Scratch()), Scratch());
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  const KnowledgeIndex& copy = **restored;
  EXPECT_EQ(copy.size(), 3u);
  EXPECT_EQ(copy.applied_seq(), 42);
  EXPECT_EQ(copy.snapshot_seq(), 42);
  EXPECT_FALSE(copy.Find("faq:2").has_value());
  for (const char* q : {"jam buka", "kiloan brp", "qris", "antar rumah", "jm bka"}) {
    const KeywordSearch a = index.keyword().Search(q, 5);
    const KeywordSearch b = copy.keyword().Search(q, 5);
    EXPECT_EQ(Ids(a), Ids(b)) << q;
    ASSERT_EQ(a.hits.size(), b.hits.size()) << q;
    for (std::size_t i = 0; i < a.hits.size(); ++i)
      EXPECT_DOUBLE_EQ(a.hits[i].score, b.hits[i].score);
    EXPECT_DOUBLE_EQ(a.confidence, b.confidence) << q;
  }
  ASSERT_NE(copy.vectors(), nullptr);
  auto hits = copy.vectors()->Search(std::vector<float>{0.6f, 0.8f, 0.0f}, 1);
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].id, "faq:3");
  EXPECT_NEAR(hits[0].similarity, 1.0, 1e-6);
  // The restored index goes on like any other.
  auto& writable = const_cast<KnowledgeIndex&>(copy);
  writable.RemoveSource("document", "doc_1");
  EXPECT_TRUE(writable.keyword().Search("kiloan", 5).hits.empty());
}

TEST(KnowledgeIndexTest, AnInconsistentImageIsRefused) {
  KnowledgeIndex index;
  index.Put(Make("faq:1", "faq", "1", "Jam buka?", "Jam 8."));
  KnowledgeIndexImage image = *index.Export(Scratch());
  image.keyword.entries[0].terms.push_back(TermCount{999999, 1, 0});  // outside the dictionary
  EXPECT_EQ(KnowledgeIndex::Restore(image, Scratch()).status().code(), StatusCode::kDataLoss);
  image = *index.Export(Scratch());
  image.passages[0].entry_id = "faq:other";
  EXPECT_EQ(KnowledgeIndex::Restore(image, Scratch()).status().code(), StatusCode::kDataLoss);
  Passage v = Make("faq:2", "faq", "2", "QRIS?", "Bisa.");
  v.embedding = {1, 0};
  index.Put(v);
  image = *index.Export(Scratch());
  ASSERT_TRUE(image.vectors.has_value());
  image.vectors->labels[0].second += 7;  // a label the graph does not hold
  EXPECT_EQ(KnowledgeIndex::Restore(image, Scratch()).status().code(), StatusCode::kDataLoss);
  image = *index.Export(Scratch());
  image.vectors->dimensions = 3;  // a graph of other dimensions
  EXPECT_EQ(KnowledgeIndex::Restore(image, Scratch()).status().code(), StatusCode::kDataLoss);
  image = *index.Export(Scratch());
  image.vectors->graph.resize(image.vectors->graph.size() / 2);  // hnswlib's own check
  EXPECT_EQ(KnowledgeIndex::Restore(image, Scratch()).status().code(), StatusCode::kDataLoss);
}

TEST(IndexRegistryTest, ASlotIsCreatedOnlyWhenAskedAndKeyedByBothIds) {
  IndexRegistry registry;
  bool ran = false;
  ASSERT_TRUE(registry
                  .WithSlot("org", "b1", false,
                            [&](std::shared_ptr<KnowledgeIndex>&) {
                              ran = true;
                              return Status::Ok();
                            })
                  .ok());
  EXPECT_FALSE(ran);
  ASSERT_TRUE(registry
                  .WithSlot("org", "b1", true,
                            [&](std::shared_ptr<KnowledgeIndex>& index) {
                              index = std::make_shared<KnowledgeIndex>();
                              index->Put(Make("faq:x", "faq", "x", "Q", "A"));
                              return Status::Ok();
                            })
                  .ok());
  // Another organisation naming the same business has its own, empty slot.
  ASSERT_TRUE(registry
                  .WithSlot("org2", "b1", true,
                            [&](std::shared_ptr<KnowledgeIndex>& index) {
                              EXPECT_EQ(index, nullptr);
                              return Status::Ok();
                            })
                  .ok());
  EXPECT_EQ(registry.loaded(), 2u);
  registry.Forget("org", "b1");
  EXPECT_EQ(registry.loaded(), 1u);
}

}  // namespace
}  // namespace milkyhoop::rag
