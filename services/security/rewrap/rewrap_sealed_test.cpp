// Re-wrapping a sealed column after a master-key rotation, on SQLite and PostgreSQL.
#include "milkyhoop/security/rewrap_sealed.hpp"

#include <gtest/gtest.h>

#include "milkyhoop/crypto/envelope.hpp"
#include "milkyhoop/sqltest/test_database.hpp"

namespace milkyhoop::security {
namespace {

using sqltest::Backend;

constexpr SealedColumn kPhones{"customers", "id", "phone_sealed"};

class RewrapSealedTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kPostgres && sqltest::TestPgDsn().empty()) {
      GTEST_SKIP() << sqltest::kNoPostgres;
    }
    auto db = sqltest::TestDatabase::Open(GetParam(), "mh_rewrap_");
    ASSERT_TRUE(db.ok()) << db.status().ToString();
    db_ = std::move(db).value();
    MH_ASSERT_OK(db_->db().Transaction([](sql::Session& tx) {
      return tx.ExecScript("CREATE TABLE customers (id TEXT PRIMARY KEY, phone_sealed TEXT)");
    }));
  }

  static std::string Context(const std::string& id) { return "customers.phone:" + id; }

  // n rows sealed under `keys`' active key, plus one without a value.
  void Fill(const crypto::KeyRing& keys, int n) {
    crypto::Envelope envelope(keys);
    MH_ASSERT_OK(db_->db().Transaction([&](sql::Session& tx) -> Status {
      for (int i = 0; i < n; ++i) {
        const std::string id = "cus_" + std::to_string(1000 + i);
        MH_ASSIGN_OR_RETURN(std::string sealed,
                            envelope.Seal("62812" + std::to_string(i), Context(id)));
        MH_TRY(tx.Exec("INSERT INTO customers VALUES ($1, $2)", {id, sealed}).status());
      }
      return tx.Exec("INSERT INTO customers VALUES ('cus_none', NULL)").status();
    }));
  }

  std::vector<std::pair<std::string, std::string>> Rows() {
    std::vector<std::pair<std::string, std::string>> out;
    EXPECT_TRUE(db_->db()
                    .Read([&](sql::Session& s) -> Status {
                      MH_ASSIGN_OR_RETURN(
                          sql::Rows r,
                          s.Query("SELECT id, phone_sealed FROM customers WHERE phone_sealed "
                                  "IS NOT NULL ORDER BY id"));
                      for (std::size_t i = 0; i < r.size(); ++i)
                        out.emplace_back(r.Text(i, 0), r.Text(i, 1));
                      return Status::Ok();
                    })
                    .ok());
    return out;
  }

  std::unique_ptr<sqltest::TestDatabase> db_;
};

TEST_P(RewrapSealedTest, EveryValueEndsUnderTheActiveKeyAndStillOpens) {
  const crypto::KeyRing old_keys = crypto::KeyRing::Generate();
  Fill(old_keys, 7);
  const crypto::KeyRing keys = old_keys.WithNewActiveKey();
  auto service = MakeSecurityService(keys);

  // A batch smaller than the table: the walk goes on past the first page.
  auto tally = RewrapSealedColumn(db_->db(), *service, kPhones, /*batch=*/3);
  ASSERT_TRUE(tally.ok()) << tally.status().ToString();
  EXPECT_EQ(tally->examined, 7);
  EXPECT_EQ(tally->rewrapped, 7);
  ASSERT_EQ(tally->by_master_key.size(), 1u);
  EXPECT_EQ(tally->by_master_key.begin()->first, keys.active().id);

  // They open with their original contexts.
  auto rows = Rows();
  ASSERT_EQ(rows.size(), 7u);
  for (const auto& [id, sealed] : rows) {
    EXPECT_EQ(*crypto::Envelope::MasterKeyIdOf(sealed), keys.active().id);
    v1::DecryptRequest req;
    req.set_sealed(sealed);
    req.set_context(Context(id));
    auto opened = service->Decrypt(req);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_TRUE(opened->plaintext().starts_with("62812"));
  }

  // Running it again changes nothing.
  auto again = RewrapSealedColumn(db_->db(), *service, kPhones);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->examined, 7);
  EXPECT_EQ(again->rewrapped, 0);
  EXPECT_EQ(Rows(), rows);
}

TEST_P(RewrapSealedTest, AValueUnderAnUnknownKeyStopsTheWalkAndNamesTheRow) {
  Fill(crypto::KeyRing::Generate(), 2);  // keys this service does not hold
  auto service = MakeSecurityService(crypto::KeyRing::Generate());
  const auto before = Rows();
  auto tally = RewrapSealedColumn(db_->db(), *service, kPhones);
  ASSERT_FALSE(tally.ok());
  EXPECT_EQ(tally.status().code(), StatusCode::kFailedPrecondition);
  EXPECT_NE(tally.status().message().find("customers.phone_sealed of cus_1000"), std::string::npos)
      << tally.status().message();
  EXPECT_EQ(Rows(), before) << "nothing was written";
}

INSTANTIATE_TEST_SUITE_P(Backends, RewrapSealedTest,
                         ::testing::Values(Backend::kSqlite, Backend::kPostgres),
                         [](const auto& info) { return sqltest::BackendName(info.param); });

}  // namespace
}  // namespace milkyhoop::security
