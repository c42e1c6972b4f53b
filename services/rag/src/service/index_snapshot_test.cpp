#include "index_snapshot.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

namespace milkyhoop::rag {
namespace {

namespace fs = std::filesystem;

class IndexSnapshotTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("mh_snap_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Passage a;
    a.entry_id = "faq:1";
    a.source_type = "faq";
    a.source_id = "1";
    a.title = "Jam buka toko?";
    a.text = "Buka jam 8 pagi – 9 malam.";
    a.embedding = {0.0f, 1.0f};
    index_.Put(a);
    Passage b = a;
    b.entry_id = "chunk:c1";
    b.source_type = "document";
    b.source_id = "doc_1";
    b.title = "Harga";
    b.text = "Cuci kiloan 7 ribu.";
    b.boost = 0.9;
    b.embedding.clear();
    index_.Put(b);
    index_.set_applied_seq(7);
    file_ = SnapshotPath(dir_, "org_1", "biz_1");
  }
  void TearDown() override { fs::remove_all(dir_); }

  KnowledgeIndexImage Image() {
    auto image = index_.Export(dir_.string());
    EXPECT_TRUE(image.ok()) << image.status().ToString();
    return image.ok() ? std::move(*image) : KnowledgeIndexImage{};
  }
  std::string Bytes() {
    std::ifstream in(file_, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void Overwrite(const std::string& bytes) {
    std::ofstream out(file_, std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  fs::path dir_, file_;
  KnowledgeIndex index_;
};

TEST_F(IndexSnapshotTest, RoundTripKeepsPassagesTermsVectorsAndSequence) {
  ASSERT_TRUE(WriteSnapshot(file_, "org_1", "biz_1", Image()).ok());
  auto image = ReadSnapshot(file_, "org_1", "biz_1");
  ASSERT_TRUE(image.ok()) << image.status().ToString();
  EXPECT_EQ(image->seq, 7);
  auto restored = KnowledgeIndex::Restore(std::move(*image), dir_.string());
  ASSERT_TRUE(restored.ok()) << restored.status().ToString();
  EXPECT_EQ((*restored)->size(), 2u);
  auto p = (*restored)->Find("chunk:c1");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->text, "Cuci kiloan 7 ribu.");
  EXPECT_DOUBLE_EQ(p->boost, 0.9);
  auto hits = (*restored)->keyword().Search("kiloan", 3);
  ASSERT_EQ(hits.hits.size(), 1u);
  EXPECT_EQ(hits.hits[0].id, "chunk:c1");
  ASSERT_NE((*restored)->vectors(), nullptr);
  EXPECT_EQ((*restored)->vectors()->size(), 1u);
  // No temporary file is left behind.
  int files = 0;
  for (const auto& e : fs::directory_iterator(dir_)) files += e.is_regular_file() ? 1 : 0;
  EXPECT_EQ(files, 1);
}

TEST_F(IndexSnapshotTest, MissingFileIsNotFound) {
  EXPECT_EQ(ReadSnapshot(file_, "org_1", "biz_1").status().code(), StatusCode::kNotFound);
}

TEST_F(IndexSnapshotTest, AnyFlippedByteIsRefused) {
  ASSERT_TRUE(WriteSnapshot(file_, "org_1", "biz_1", Image()).ok());
  const std::string good = Bytes();
  // Every position of the header, and a sample of the payload: never accepted, never a crash.
  for (std::size_t i = 0; i < good.size(); i += (i < 64 ? 1 : 7)) {
    std::string bad = good;
    bad[i] = static_cast<char>(bad[i] ^ 0x5a);
    Overwrite(bad);
    EXPECT_EQ(ReadSnapshot(file_, "org_1", "biz_1").status().code(), StatusCode::kDataLoss)
        << "byte " << i;
  }
}

TEST_F(IndexSnapshotTest, TruncatedEmptyAndForeignFilesAreRefused) {
  ASSERT_TRUE(WriteSnapshot(file_, "org_1", "biz_1", Image()).ok());
  const std::string good = Bytes();
  for (std::size_t keep : {std::size_t{0}, std::size_t{10}, good.size() / 2, good.size() - 1}) {
    Overwrite(good.substr(0, keep));
    EXPECT_EQ(ReadSnapshot(file_, "org_1", "biz_1").status().code(), StatusCode::kDataLoss) << keep;
  }
  // Another format version (byte 8 is the low byte of the version on this machine).
  std::string other = good;
  other[8] = static_cast<char>(kSnapshotFormatVersion + 1);
  Overwrite(other);
  auto r = ReadSnapshot(file_, "org_1", "biz_1");
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(r.status().message().find("version"), std::string::npos) << r.status().message();
  // A valid file of another business (a file copied by hand) is not this business's index.
  Overwrite(good);
  EXPECT_EQ(ReadSnapshot(file_, "org_2", "biz_1").status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(ReadSnapshot(file_, "org_1", "biz_2").status().code(), StatusCode::kDataLoss);
  // Over the size bound.
  EXPECT_EQ(ReadSnapshot(file_, "org_1", "biz_1", 100).status().code(), StatusCode::kDataLoss);
}

TEST_F(IndexSnapshotTest, FileNamesDependOnBothIdsAndHoldNoIdCharacters) {
  const fs::path a = SnapshotPath(dir_, "org_1", "biz_1");
  EXPECT_NE(a, SnapshotPath(dir_, "org_2", "biz_1"));
  EXPECT_NE(a, SnapshotPath(dir_, "org_1", "biz_2"));
  EXPECT_EQ(SnapshotPath(dir_, "../x", "/etc").parent_path(), dir_);
}

}  // namespace
}  // namespace milkyhoop::rag
