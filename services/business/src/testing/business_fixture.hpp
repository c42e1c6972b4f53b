#pragma once
// The fixture of the contract suites: a BusinessService on every backend (SQLite, PostgreSQL
// when MILKYHOOP_TEST_PG_DSN is set) and through every transport (in-process, real gRPC on
// 127.0.0.1:0), an injected clock, and builders of common requests.

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>

#include "milkyhoop/business/business_factory.hpp"
#include "milkyhoop/business/business_grpc.hpp"
#include "milkyhoop/core/clock.hpp"
#include "milkyhoop/crypto/key_ring.hpp"
#include "milkyhoop/rpc/testing/grpc_loopback.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "testing/test_database.hpp"

namespace milkyhoop::business::testing {

enum class Transport { kInProcess, kGrpc };
using Param = std::tuple<Backend, Transport>;

inline std::string ParamName(const ::testing::TestParamInfo<Param>& info) {
  return BackendName(std::get<0>(info.param)) +
         (std::get<1>(info.param) == Transport::kGrpc ? "_Grpc" : "_InProcess");
}

// A BusinessService served by a real gRPC server on 127.0.0.1:0 and reached through a client.
struct GrpcLoopback : rpc::testing::GrpcLoopback<BusinessService> {
  explicit GrpcLoopback(BusinessService& impl)
      : rpc::testing::GrpcLoopback<BusinessService>(
            impl, [](auto& i) { return MakeBusinessGrpcService(i); },
            [](auto channel) {
              return MakeBusinessGrpcClient(channel, std::chrono::seconds(20));
            }) {}
};

inline v1::Money Idr(std::int64_t amount) {
  v1::Money m;
  m.set_amount(amount);
  m.set_currency("IDR");
  return m;
}

// 2024-05-15T03:00:00Z = 10:00 in Jakarta.
inline constexpr std::int64_t kStartMs = 1'715'742'000'000;

class BusinessContractTest : public ::testing::TestWithParam<Param> {
 protected:
  void SetUp() override {
    if (std::get<0>(GetParam()) == Backend::kPostgres && TestPgDsn().empty()) {
      GTEST_SKIP() << kNoPostgres;
    }
    MH_ASSERT_OK_AND_ASSIGN(store_, TestDatabase::Open(std::get<0>(GetParam())));
    MH_ASSERT_OK(MigrateBusinessDatabase(store_->db()));
    security_ = security::MakeSecurityService(crypto::KeyRing::Generate());
    impl_ = MakeBusinessService(store_->db(), *security_, clock_);
    if (std::get<1>(GetParam()) == Transport::kGrpc) {
      loopback_ = std::make_unique<GrpcLoopback>(*impl_);
    }
  }

  void TearDown() override {
    loopback_.reset();
    impl_.reset();
    store_.reset();
  }

  BusinessService& Svc() { return loopback_ ? loopback_->client() : *impl_; }
  sql::Database& Db() { return store_->db(); }

  v1::Business CreateBusiness(const std::string& org_id, const std::string& name,
                              bool allow_negative_stock = false) {
    v1::CreateBusinessRequest req;
    req.set_org_id(org_id);
    req.set_actor_id("usr_owner");
    req.set_name(name);
    req.set_currency("IDR");
    req.set_allow_negative_stock(allow_negative_stock);
    auto res = Svc().CreateBusiness(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->business() : v1::Business();
  }

  v1::Product CreateProduct(const v1::Business& b, const std::string& name, std::int64_t price,
                            std::int64_t cost, std::int64_t stock, std::int64_t min_stock = 0) {
    v1::CreateProductRequest req;
    req.set_org_id(b.org_id());
    req.set_business_id(b.id());
    req.set_actor_id("usr_owner");
    req.set_name(name);
    *req.mutable_price() = Idr(price);
    *req.mutable_cost() = Idr(cost);
    req.set_stock(stock);
    req.set_unit("pcs");
    req.set_min_stock(min_stock);
    auto res = Svc().CreateProduct(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->product() : v1::Product();
  }

  static v1::PostTransactionRequest Txn(const v1::Business& b, const std::string& type) {
    v1::PostTransactionRequest req;
    req.set_org_id(b.org_id());
    req.set_business_id(b.id());
    req.set_actor_id("usr_owner");
    req.set_type(type);
    return req;
  }
  static void AddItem(v1::PostTransactionRequest* req, const std::string& product_id,
                      const std::string& name, std::int64_t quantity, std::int64_t unit_price) {
    v1::TransactionItem* item = req->add_items();
    item->set_product_id(product_id);
    item->set_name(name);
    item->set_quantity(quantity);
    *item->mutable_unit_price() = Idr(unit_price);
  }

  Result<v1::PostTransactionResponse> Sell(const v1::Business& b, const v1::Product& p,
                                           std::int64_t quantity, std::int64_t unit_price) {
    v1::PostTransactionRequest req = Txn(b, "sale");
    AddItem(&req, p.id(), "", quantity, unit_price);
    return Svc().PostTransaction(req);
  }

  std::int64_t Stock(const v1::Business& b, const std::string& product_id) {
    v1::GetProductRequest req;
    req.set_org_id(b.org_id());
    req.set_business_id(b.id());
    req.set_product_id(product_id);
    auto res = Svc().GetProduct(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    return res.ok() ? res->product().stock() : -999;
  }

  std::int64_t Count(const std::string& sql) {
    auto rows = Db().Query(sql);
    EXPECT_TRUE(rows.ok()) << rows.status().ToString();
    return rows.ok() ? rows->Int(0, 0) : -1;
  }

  ManualClock clock_{Clock::TimePoint(std::chrono::milliseconds(kStartMs))};
  std::unique_ptr<TestDatabase> store_;
  std::unique_ptr<security::SecurityService> security_;
  std::unique_ptr<BusinessService> impl_;
  std::unique_ptr<GrpcLoopback> loopback_;
};

// The field named by the first field error of a status, "" when none.
inline std::string FieldOf(const Status& s) {
  return s.field_errors().empty() ? "" : s.field_errors()[0].field;
}

}  // namespace milkyhoop::business::testing
