// Contract of BusinessService for businesses, products, the stock ledger and customers, run
// in-process and over gRPC on every backend.

#include <gtest/gtest.h>

#include "milkyhoop/business/business_events.hpp"
#include "milkyhoop/business/v1/events.pb.h"
#include "milkyhoop/sql/outbox.hpp"
#include "testing/business_fixture.hpp"

namespace milkyhoop::business {
namespace {

using testing::BusinessContractTest;
using testing::FieldOf;
using testing::Idr;

TEST_P(BusinessContractTest, SlugsAreDerivedFoldedAndDeduplicatedAcrossOrganisations) {
  EXPECT_EQ(CreateBusiness("org_a", "Warung Bu Sari").slug(), "warung-bu-sari");
  EXPECT_EQ(CreateBusiness("org_a", "Warung Bu Sari").slug(), "warung-bu-sari-2");
  EXPECT_EQ(CreateBusiness("org_b", "  Warung  BU sari!! ").slug(), "warung-bu-sari-3");
  EXPECT_EQ(CreateBusiness("org_b", "Kafé Ñoño").slug(), "kafe-nono");

  v1::CreateBusinessRequest req;
  req.set_org_id("org_c");
  req.set_actor_id("usr_c");
  req.set_name("Anything");
  req.set_slug("kafe-nono");
  auto taken = Svc().CreateBusiness(req);
  EXPECT_EQ(taken.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(FieldOf(taken.status()), "slug");
  req.set_slug("Bad Slug");
  EXPECT_EQ(FieldOf(Svc().CreateBusiness(req).status()), "slug");
  req.set_slug("toko-c");
  MH_ASSERT_OK_AND_ASSIGN(auto created, Svc().CreateBusiness(req));
  EXPECT_EQ(created.business().slug(), "toko-c");
  EXPECT_EQ(created.business().time_zone(), "Asia/Jakarta");
  EXPECT_EQ(created.business().currency(), "IDR");
  EXPECT_EQ(created.business().language(), "id");
}

TEST_P(BusinessContractTest, InvalidBusinessFieldsAreNamed) {
  auto expect_field = [&](auto mutate, const std::string& field) {
    v1::CreateBusinessRequest req;
    req.set_org_id("org_a");
    req.set_actor_id("usr_a");
    req.set_name("Toko");
    mutate(req);
    auto res = Svc().CreateBusiness(req);
    EXPECT_EQ(res.status().code(), StatusCode::kInvalidArgument) << field;
    EXPECT_EQ(FieldOf(res.status()), field);
  };
  expect_field([](auto& r) { r.set_name("  "); }, "name");
  expect_field([](auto& r) { r.set_currency("XXX"); }, "currency");
  expect_field([](auto& r) { r.set_language("fr"); }, "language");
  expect_field([](auto& r) { r.set_time_zone("Europe/Paris"); }, "time_zone");
  expect_field([](auto& r) { r.set_name(std::string("a\x01b")); }, "name");
  expect_field(
      [](auto& r) {
        auto* h = r.add_opening_hours();
        h->set_weekday(8);
        h->set_open("08:00");
        h->set_close("17:00");
      },
      "opening_hours[0].weekday");
  expect_field(
      [](auto& r) {
        auto* h = r.add_opening_hours();
        h->set_weekday(1);
        h->set_open("18:00");
        h->set_close("17:00");
      },
      "opening_hours[0].close");
  EXPECT_EQ(Count("SELECT COUNT(*) FROM businesses"), 0);
}

TEST_P(BusinessContractTest, BusinessesAreScopedToTheirOrganisation) {
  const v1::Business a = CreateBusiness("org_a", "Toko A");
  CreateBusiness("org_b", "Toko B");

  v1::GetBusinessRequest get;
  get.set_org_id("org_b");
  get.set_business_id(a.id());
  EXPECT_EQ(Svc().GetBusiness(get).status().code(), StatusCode::kNotFound);
  get.set_org_id("org_a");
  MH_ASSERT_OK_AND_ASSIGN(auto got, Svc().GetBusiness(get));
  EXPECT_EQ(got.business().name(), "Toko A");

  v1::UpdateBusinessRequest update;
  update.set_org_id("org_b");
  update.set_business_id(a.id());
  update.set_actor_id("usr_b");
  update.set_name("Hijacked");
  EXPECT_EQ(Svc().UpdateBusiness(update).status().code(), StatusCode::kNotFound);

  v1::DeleteBusinessRequest del;
  del.set_org_id("org_b");
  del.set_business_id(a.id());
  del.set_actor_id("usr_b");
  EXPECT_EQ(Svc().DeleteBusiness(del).status().code(), StatusCode::kNotFound);

  v1::ListBusinessesRequest list;
  list.set_org_id("org_a");
  MH_ASSERT_OK_AND_ASSIGN(auto listed, Svc().ListBusinesses(list));
  ASSERT_EQ(listed.items_size(), 1);
  EXPECT_EQ(listed.items(0).id(), a.id());

  v1::LocateRequest locate;
  locate.set_business_id(a.id());
  MH_ASSERT_OK_AND_ASSIGN(auto located, Svc().Locate(locate));
  EXPECT_EQ(located.org_id(), "org_a");
  // The public chat finds a business by its slug.
  v1::LocateRequest by_slug;
  by_slug.set_slug(a.slug());
  MH_ASSERT_OK_AND_ASSIGN(auto found, Svc().Locate(by_slug));
  EXPECT_EQ(found.business_id(), a.id());
  EXPECT_EQ(found.org_id(), "org_a");
  by_slug.set_slug("no-such-shop");
  EXPECT_EQ(Svc().Locate(by_slug).status().code(), StatusCode::kNotFound);
  by_slug.set_business_id(a.id());  // two keys at once
  EXPECT_EQ(Svc().Locate(by_slug).status().code(), StatusCode::kInvalidArgument);
}

TEST_P(BusinessContractTest, UpdateChangesOnlyTheGivenFieldsAndDeleteHidesTheBusiness) {
  const v1::Business b = CreateBusiness("org_a", "Toko A");
  v1::UpdateBusinessRequest update;
  update.set_org_id("org_a");
  update.set_business_id(b.id());
  update.set_actor_id("usr_a");
  update.set_description("Sembako murah");
  update.set_replace_opening_hours(true);
  auto* h = update.add_opening_hours();
  h->set_weekday(1);
  h->set_open("08:00");
  h->set_close("21:00");
  MH_ASSERT_OK_AND_ASSIGN(auto updated, Svc().UpdateBusiness(update));
  EXPECT_EQ(updated.business().name(), "Toko A");
  EXPECT_EQ(updated.business().slug(), b.slug());
  EXPECT_EQ(updated.business().description(), "Sembako murah");
  ASSERT_EQ(updated.business().opening_hours_size(), 1);
  EXPECT_EQ(updated.business().opening_hours(0).close(), "21:00");

  v1::DeleteBusinessRequest del;
  del.set_org_id("org_a");
  del.set_business_id(b.id());
  del.set_actor_id("usr_a");
  MH_ASSERT_OK(Svc().DeleteBusiness(del));
  EXPECT_EQ(Svc().DeleteBusiness(del).status().code(), StatusCode::kNotFound);
  v1::LocateRequest locate;
  locate.set_business_id(b.id());
  EXPECT_EQ(Svc().Locate(locate).status().code(), StatusCode::kNotFound);
  // The slug is not reused.
  EXPECT_EQ(CreateBusiness("org_a", "Toko A").slug(), "toko-a-2");
}

TEST_P(BusinessContractTest, ListsPageWithCursors) {
  for (int i = 0; i < 5; ++i) CreateBusiness("org_a", "Toko " + std::to_string(i));
  v1::ListBusinessesRequest list;
  list.set_org_id("org_a");
  list.set_limit(2);
  int seen = 0;
  for (int page = 0; page < 5; ++page) {
    MH_ASSERT_OK_AND_ASSIGN(auto listed, Svc().ListBusinesses(list));
    seen += listed.items_size();
    if (listed.next_cursor().empty()) break;
    list.set_cursor(listed.next_cursor());
  }
  EXPECT_EQ(seen, 5);
  list.set_limit(201);
  EXPECT_EQ(FieldOf(Svc().ListBusinesses(list).status()), "limit");
}

TEST_P(BusinessContractTest, ProductSearchIgnoresCaseAndAccentsAndMatchesPartialWords) {
  const v1::Business b = CreateBusiness("org_a", "Kedai Kopi");
  CreateProduct(b, "Kopi Gayo Café Latte", 25000, 9000, 10);
  CreateProduct(b, "Teh Tarik", 12000, 3000, 10);
  const v1::Business other = CreateBusiness("org_b", "Kopi Lain");
  CreateProduct(other, "Kopi Gayo", 1, 1, 1);

  auto search = [&](const std::string& q) {
    v1::ListProductsRequest req;
    req.set_org_id(b.org_id());
    req.set_business_id(b.id());
    req.set_query(q);
    auto res = Svc().ListProducts(req);
    EXPECT_TRUE(res.ok()) << res.status().ToString();
    std::vector<std::string> names;
    if (res.ok()) {
      for (const auto& p : res->items()) names.push_back(p.name());
    }
    return names;
  };
  const std::vector<std::string> kopi = {"Kopi Gayo Café Latte"};
  EXPECT_EQ(search("kopi"), kopi);
  EXPECT_EQ(search("CAFE"), kopi);
  EXPECT_EQ(search("gay caf"), kopi);
  EXPECT_EQ(search("café"), kopi);
  EXPECT_EQ(search("tarik"), std::vector<std::string>{"Teh Tarik"});
  EXPECT_TRUE(search("matcha").empty());
  EXPECT_EQ(search("").size(), 2u);
}

TEST_P(BusinessContractTest, ProductsValidateMoneyAndAreScoped) {
  const v1::Business b = CreateBusiness("org_a", "Toko");
  v1::CreateProductRequest req;
  req.set_org_id(b.org_id());
  req.set_business_id(b.id());
  req.set_actor_id("usr_a");
  req.set_name("Kaos");
  req.set_unit("pcs");
  *req.mutable_price() = Idr(45000);
  req.mutable_price()->set_currency("USD");
  EXPECT_EQ(FieldOf(Svc().CreateProduct(req).status()), "price.currency");
  *req.mutable_price() = Idr(-1);
  EXPECT_EQ(FieldOf(Svc().CreateProduct(req).status()), "price.amount");
  *req.mutable_price() = Idr(45000);
  req.set_stock(-1);
  EXPECT_EQ(FieldOf(Svc().CreateProduct(req).status()), "stock");
  req.set_stock(5);
  req.set_sku("KAOS-1");
  MH_ASSERT_OK_AND_ASSIGN(auto created, Svc().CreateProduct(req));
  auto dup = Svc().CreateProduct(req);
  EXPECT_EQ(dup.status().code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(FieldOf(dup.status()), "sku");

  v1::GetProductRequest get;
  get.set_org_id("org_b");
  get.set_business_id(b.id());
  get.set_product_id(created.product().id());
  EXPECT_EQ(Svc().GetProduct(get).status().code(), StatusCode::kNotFound);

  v1::UpdateProductRequest update;
  update.set_org_id(b.org_id());
  update.set_business_id(b.id());
  update.set_product_id(created.product().id());
  update.set_actor_id("usr_a");
  *update.mutable_price() = Idr(50000);
  update.set_min_stock(3);
  MH_ASSERT_OK_AND_ASSIGN(auto updated, Svc().UpdateProduct(update));
  EXPECT_EQ(updated.product().price().amount(), 50000);
  EXPECT_EQ(updated.product().min_stock(), 3);
  EXPECT_EQ(updated.product().stock(), 5);
  EXPECT_EQ(updated.product().name(), "Kaos");

  v1::DeleteProductRequest del;
  del.set_org_id(b.org_id());
  del.set_business_id(b.id());
  del.set_product_id(created.product().id());
  del.set_actor_id("usr_a");
  MH_ASSERT_OK(Svc().DeleteProduct(del));
  get.set_org_id(b.org_id());
  EXPECT_EQ(Svc().GetProduct(get).status().code(), StatusCode::kNotFound);
  MH_EXPECT_OK(Svc().CreateProduct(req));  // the SKU is free again
}

// Consumers such as the knowledge index learn of catalogue and profile changes from these events,
// committed with the change itself.
TEST_P(BusinessContractTest, CatalogueAndProfileChangesEmitEvents) {
  const v1::Business b = CreateBusiness("org_a", "Toko A");
  const v1::Product p = CreateProduct(b, "Kaos", 45000, 30000, 5);
  v1::UpdateProductRequest update;
  update.set_org_id(b.org_id());
  update.set_business_id(b.id());
  update.set_product_id(p.id());
  update.set_actor_id("usr_a");
  *update.mutable_price() = Idr(50000);
  MH_ASSERT_OK(Svc().UpdateProduct(update));
  v1::DeleteProductRequest del;
  del.set_org_id(b.org_id());
  del.set_business_id(b.id());
  del.set_product_id(p.id());
  del.set_actor_id("usr_a");
  MH_ASSERT_OK(Svc().DeleteProduct(del));
  v1::DeleteBusinessRequest del_business;
  del_business.set_org_id(b.org_id());
  del_business.set_business_id(b.id());
  del_business.set_actor_id("usr_a");
  MH_ASSERT_OK(Svc().DeleteBusiness(del_business));

  MH_ASSERT_OK_AND_ASSIGN(auto outbox, sql::FetchUnsentOutbox(Db(), 100));
  std::vector<v1::ProductChanged> products;
  std::vector<v1::BusinessChanged> businesses;
  for (const auto& e : outbox) {
    EXPECT_EQ(e.tenant_id, "org_a");
    if (e.type == kProductChangedEvent) {
      ASSERT_TRUE(products.emplace_back().ParseFromString(e.payload));
    } else if (e.type == kBusinessChangedEvent) {
      ASSERT_TRUE(businesses.emplace_back().ParseFromString(e.payload));
    }
  }
  ASSERT_EQ(products.size(), 3u);  // created, repriced, deleted
  EXPECT_EQ(products[0].product().name(), "Kaos");
  EXPECT_EQ(products[1].product().price().amount(), 50000);
  EXPECT_FALSE(products[1].deleted());
  EXPECT_TRUE(products[2].deleted());
  EXPECT_EQ(products[2].product().id(), p.id());
  EXPECT_EQ(products[2].business_id(), b.id());
  ASSERT_EQ(businesses.size(), 2u);  // created, deleted
  EXPECT_EQ(businesses[0].business().slug(), b.slug());
  EXPECT_TRUE(businesses[1].deleted());
  EXPECT_EQ(businesses[1].business().id(), b.id());
}

TEST_P(BusinessContractTest, StockIsAlwaysTheSumOfItsLedger) {
  const v1::Business b = CreateBusiness("org_a", "Toko");
  const v1::Product p = CreateProduct(b, "Beras 5kg", 70000, 60000, 10);
  v1::AdjustStockRequest adjust;
  adjust.set_org_id(b.org_id());
  adjust.set_business_id(b.id());
  adjust.set_product_id(p.id());
  adjust.set_actor_id("usr_a");
  adjust.set_delta(-3);
  adjust.set_reason("rusak (damaged)");
  MH_ASSERT_OK_AND_ASSIGN(auto adjusted, Svc().AdjustStock(adjust));
  EXPECT_EQ(adjusted.product().stock(), 7);
  EXPECT_EQ(adjusted.adjustment().stock_after(), 7);
  EXPECT_EQ(adjusted.adjustment().reason(), "rusak (damaged)");

  adjust.set_delta(-8);
  EXPECT_EQ(Svc().AdjustStock(adjust).status().code(), StatusCode::kFailedPrecondition);
  adjust.set_delta(0);
  EXPECT_EQ(FieldOf(Svc().AdjustStock(adjust).status()), "delta");
  adjust.set_delta(2);
  adjust.set_reason("");
  EXPECT_EQ(FieldOf(Svc().AdjustStock(adjust).status()), "reason");
  adjust.set_reason("found in the back room");
  MH_ASSERT_OK(Svc().AdjustStock(adjust));
  MH_ASSERT_OK(Sell(b, p, 4, 70000));

  v1::ListStockAdjustmentsRequest ledger;
  ledger.set_org_id(b.org_id());
  ledger.set_business_id(b.id());
  ledger.set_product_id(p.id());
  MH_ASSERT_OK_AND_ASSIGN(auto moves, Svc().ListStockAdjustments(ledger));
  std::int64_t sum = 0;
  std::vector<std::string> reasons;
  for (const auto& m : moves.items()) {
    sum += m.delta();
    reasons.push_back(m.reason());
  }
  EXPECT_EQ(reasons, (std::vector<std::string>{"opening", "rusak (damaged)",
                                               "found in the back room", "sale"}));
  EXPECT_EQ(sum, 5);
  EXPECT_EQ(Stock(b, p.id()), 5);
}

TEST_P(BusinessContractTest, CustomerPhonesAreSealedAndFoundByBlindIndex) {
  const v1::Business b = CreateBusiness("org_a", "Toko");
  v1::CreateCustomerRequest req;
  req.set_org_id(b.org_id());
  req.set_business_id(b.id());
  req.set_actor_id("usr_a");
  req.set_name("Bu Ani");
  req.set_phone("0812-3456-7890");
  req.set_email("ani@example.com");
  MH_ASSERT_OK_AND_ASSIGN(auto created, Svc().CreateCustomer(req));
  req.set_name("Pak Budi");
  req.set_phone("0813 1111 2222");
  req.set_email("");
  MH_ASSERT_OK(Svc().CreateCustomer(req));
  req.set_phone("not a phone");
  EXPECT_EQ(FieldOf(Svc().CreateCustomer(req).status()), "phone");
  req.set_phone("");
  req.set_email("nope");
  EXPECT_EQ(FieldOf(Svc().CreateCustomer(req).status()), "email");

  EXPECT_EQ(Count("SELECT COUNT(*) FROM customers WHERE phone_sealed LIKE '%3456%'"), 0);

  v1::ListCustomersRequest list;
  list.set_org_id(b.org_id());
  list.set_business_id(b.id());
  list.set_phone("+62 812 3456 7890");
  MH_ASSERT_OK_AND_ASSIGN(auto found, Svc().ListCustomers(list));
  ASSERT_EQ(found.items_size(), 1);
  EXPECT_EQ(found.items(0).id(), created.customer().id());
  EXPECT_EQ(found.items(0).phone(), "0812-3456-7890");
  list.set_phone("");
  MH_ASSERT_OK_AND_ASSIGN(auto all, Svc().ListCustomers(list));
  EXPECT_EQ(all.items_size(), 2);
  list.set_org_id("org_b");
  EXPECT_EQ(Svc().ListCustomers(list).status().code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Shapes, BusinessContractTest,
                         ::testing::Combine(::testing::Values(testing::Backend::kSqlite,
                                                              testing::Backend::kPostgres),
                                            ::testing::Values(testing::Transport::kInProcess,
                                                              testing::Transport::kGrpc)),
                         testing::ParamName);

}  // namespace
}  // namespace milkyhoop::business
