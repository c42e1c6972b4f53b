#include "milkyhoop/crypto/key_file.hpp"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "milkyhoop/core/ids.hpp"
#include "milkyhoop/crypto/encoding.hpp"
#include "milkyhoop/crypto/key_ring_loader.hpp"

namespace milkyhoop::crypto {
namespace {

namespace fs = std::filesystem;

class KeyFileTest : public testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("mh_key_file_test_" + RandomHex(8));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  static unsigned Mode(const fs::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0);
    return st.st_mode & 07777;
  }
  static std::string Read(const fs::path& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  static void Write(const fs::path& path, const std::string& text, fs::perms perms) {
    std::ofstream(path) << text;
    fs::permissions(path, perms);
  }

  fs::path dir_;
};

TEST_F(KeyFileTest, GenerateCreatesAPrivateFileWithIndexAndOneMasterKey) {
  const fs::path path = dir_ / "keys" / "master.keys";  // parent created on the way
  Result<std::string> id = GenerateKeyFile(path);
  ASSERT_TRUE(id.ok()) << id.status().ToString();
  EXPECT_EQ(Mode(path), 0600u);
  EXPECT_EQ(Mode(path.parent_path()), 0700u);
  Result<KeyRing> ring = LoadKeyFile(path);
  ASSERT_TRUE(ring.ok()) << ring.status().ToString();
  EXPECT_EQ(ring->active().id, *id);
  EXPECT_EQ(ring->active().id, MasterKeyId(ring->active().key.view()));
  EXPECT_EQ(ring->keys().size(), 1u);
  EXPECT_EQ(ring->index_key().size(), kIndexKeyBytes);
  // No temporary file is left behind.
  int entries = 0;
  for (const auto& e : fs::directory_iterator(path.parent_path())) entries += e.exists() ? 1 : 0;
  EXPECT_EQ(entries, 1);
}

TEST_F(KeyFileTest, GenerateNeverReplacesAnExistingFile) {
  const fs::path path = dir_ / "master.keys";
  ASSERT_TRUE(GenerateKeyFile(path).ok());
  const std::string before = Read(path);
  EXPECT_EQ(GenerateKeyFile(path).status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(Read(path), before);
}

TEST_F(KeyFileTest, RotatePrependsANewActiveKeyAndKeepsTheRest) {
  const fs::path path = dir_ / "master.keys";
  const std::string first = *GenerateKeyFile(path);
  const KeyRing before = *LoadKeyFile(path);
  Result<std::string> second = RotateKeyFile(path);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_NE(*second, first);
  EXPECT_EQ(Mode(path), 0600u);
  const KeyRing after = *LoadKeyFile(path);
  ASSERT_EQ(after.keys().size(), 2u);
  EXPECT_EQ(after.active().id, *second);
  EXPECT_EQ(after.keys()[1].id, first);
  EXPECT_EQ(after.keys()[1].key.view(), before.active().key.view());
  EXPECT_EQ(after.index_key().view(), before.index_key().view()) << "the index key never rotates";
  ASSERT_TRUE(RotateKeyFile(path).ok());
  EXPECT_EQ(LoadKeyFile(path)->keys().size(), 3u);
}

TEST_F(KeyFileTest, RotateOfAMissingFileIsNotFound) {
  EXPECT_EQ(RotateKeyFile(dir_ / "missing").status().code(), StatusCode::kNotFound);
}

TEST_F(KeyFileTest, LoadRefusesAFileOthersCanRead) {
  const fs::path path = dir_ / "master.keys";
  ASSERT_TRUE(GenerateKeyFile(path).ok());
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  Result<KeyRing> ring = LoadKeyFile(path);
  EXPECT_EQ(ring.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(ring.status().message().find("mode 0640"), std::string::npos);
}

TEST_F(KeyFileTest, ParseReportsTheLineAndNeverTheKey) {
  const std::string index = Base64Encode(std::string(32, 'i'));
  const std::string key = Base64Encode(std::string(32, 'k'));
  EXPECT_TRUE(ParseKeyFile("# c\n\nindex " + index + "\nk1 " + key + "\n").ok());
  EXPECT_TRUE(ParseKeyFile("k1\t" + key + "\r\nindex " + index).ok()) << "tabs, CRLF, no EOL";

  Result<KeyRing> no_index = ParseKeyFile("k1 " + key + "\n");
  EXPECT_EQ(no_index.status().message(), "key file: no 'index' key");
  Result<KeyRing> bad = ParseKeyFile("index " + index + "\nk1 not-base64!\n");
  EXPECT_EQ(bad.status().message(), "key file line 2: key is not valid base64");
  Result<KeyRing> extra = ParseKeyFile("index " + index + "\nk1 " + key + " extra\n");
  EXPECT_EQ(extra.status().message(), "key file line 2: expected '<id> <key>'");
  Result<KeyRing> lone = ParseKeyFile("index " + index + "\nk1\n");
  EXPECT_EQ(lone.status().message(), "key file line 2: expected '<id> <key>'");
  Result<KeyRing> two_index = ParseKeyFile("index " + index + "\nindex " + index + "\n");
  EXPECT_EQ(two_index.status().message(), "key file line 2: second 'index' key");
  Result<KeyRing> no_master = ParseKeyFile("index " + index + "\n");
  EXPECT_EQ(no_master.status().code(), StatusCode::kInvalidArgument);
  Result<KeyRing> short_key = ParseKeyFile("index " + index + "\nk1 " + Base64Encode("x") + "\n");
  EXPECT_EQ(short_key.status().code(), StatusCode::kInvalidArgument);
  for (const Result<KeyRing>* r : {&bad, &extra, &short_key}) {
    EXPECT_EQ(r->status().message().find(key), std::string::npos);
  }
}

TEST_F(KeyFileTest, FormatAndParseRoundTrip) {
  const KeyRing ring = KeyRing::Generate().WithNewActiveKey();
  Result<KeyRing> parsed = ParseKeyFile(FormatKeyFile(ring));
  ASSERT_TRUE(parsed.ok());
  ASSERT_EQ(parsed->keys().size(), 2u);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(parsed->keys()[i].id, ring.keys()[i].id);
    EXPECT_EQ(parsed->keys()[i].key.view(), ring.keys()[i].key.view());
  }
}

TEST_F(KeyFileTest, LoaderGeneratesTheDefaultFileOnFirstStartOnly) {
  const fs::path path = dir_ / "data" / "master.keys";
  Result<KeyRing> first = LoadKeyRing({.default_key_file = path});
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_TRUE(fs::exists(path));
  Result<KeyRing> second = LoadKeyRing({.default_key_file = path});
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->active().id, first->active().id);
  EXPECT_EQ(second->active().key.view(), first->active().key.view());
}

TEST_F(KeyFileTest, LoaderPrefersEnvironmentThenExplicitFile) {
  const fs::path explicit_file = dir_ / "explicit.keys";
  const fs::path default_file = dir_ / "default.keys";
  ASSERT_TRUE(GenerateKeyFile(explicit_file).ok());
  const std::string explicit_id = LoadKeyFile(explicit_file)->active().id;

  Result<KeyRing> from_file =
      LoadKeyRing({.key_file = explicit_file, .default_key_file = default_file});
  ASSERT_TRUE(from_file.ok());
  EXPECT_EQ(from_file->active().id, explicit_id);
  EXPECT_FALSE(fs::exists(default_file)) << "no default file when one is configured";

  const std::string env_key(32, 'e');
  Result<KeyRing> from_env = LoadKeyRing({.master_keys = Base64Encode(env_key),
                                          .index_key = Base64Encode(std::string(32, 'i')),
                                          .key_file = explicit_file});
  ASSERT_TRUE(from_env.ok());
  EXPECT_EQ(from_env->active().id, MasterKeyId(env_key));

  EXPECT_EQ(LoadKeyRing({.key_file = dir_ / "missing.keys"}).status().code(),
            StatusCode::kNotFound);
}

}  // namespace
}  // namespace milkyhoop::crypto
