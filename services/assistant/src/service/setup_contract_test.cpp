// Contract of setup mode: a whole onboarding conversation creates the organisation, the
// business, its products and FAQs through the real services, and the FAQs are searchable at once.
#include <map>

#include "assistant_test_fixture.hpp"
#include "milkyhoop/org/permissions.hpp"

namespace milkyhoop::assistant {
namespace {

using testing::AssistantTest;

class SetupContractTest : public AssistantTest {
 protected:
  v1::SetupChatResponse Say(const std::string& text, const std::string& user = "usr_new") {
    v1::SetupChatRequest req;
    req.set_user_id(user);
    req.set_session_id(session_);
    req.set_message(text);
    auto res = Svc().SetupChat(req);
    EXPECT_TRUE(res.ok()) << text << ": " << res.status().ToString();
    if (!res.ok()) return {};
    session_ = res->session_id();
    return *res;
  }
  std::string session_;
};

TEST_P(SetupContractTest, AConversationEndsInAWorkingBusiness) {
  auto r = Say("halo");
  EXPECT_EQ(r.state(), "welcome");
  EXPECT_EQ(r.progress(), 0);
  EXPECT_FALSE(r.done());
  r = Say("Saya punya warung makan namanya Warung Bu Sari di Jl. Merdeka No. 10, Bandung");
  EXPECT_EQ(r.state(), "collecting_info");
  EXPECT_EQ(r.business_draft().name(), "Warung Bu Sari");
  EXPECT_EQ(r.business_draft().category(), "makanan");
  EXPECT_EQ(r.business_draft().address(), "Jl. Merdeka No. 10, Bandung");
  const int progress = r.progress();
  EXPECT_GT(progress, 0);
  r = Say("setiap hari 08.00-21.00");
  EXPECT_EQ(r.business_draft().opening_hours_text(), "Setiap hari 08.00–21.00");
  EXPECT_EQ(r.business_draft().opening_hours_size(), 7);
  r = Say("0812 3456 7890");
  EXPECT_EQ(r.business_draft().phone(), "081234567890");
  r = Say("nasi goreng 15rb, es teh 5rb, ayam bakar 25.000");
  EXPECT_EQ(r.state(), "confirming");
  EXPECT_EQ(r.progress(), 80);
  ASSERT_EQ(r.business_draft().products_size(), 3);
  EXPECT_EQ(r.business_draft().products(2).price(), 25000);
  r = Say("ya");
  EXPECT_EQ(r.state(), "review");
  EXPECT_GE(r.suggested_faqs_size(), 5);
  const int faqs = r.suggested_faqs_size();
  r = Say("ya");
  EXPECT_EQ(r.state(), "done");
  EXPECT_TRUE(r.done());
  EXPECT_EQ(r.progress(), 100);
  ASSERT_FALSE(r.business_id().empty());
  ASSERT_FALSE(r.org_id().empty());
  const std::string business_id = r.business_id(), org_id = r.org_id();

  // The user owns the organisation.
  org::v1::AuthorizeRequest auth;
  auth.mutable_principal()->set_kind("user");
  auth.mutable_principal()->set_subject_id("usr_new");
  auth.set_org_id(org_id);
  auth.set_permission(std::string(org::perm::kAssistantUse));
  MH_ASSERT_OK_AND_ASSIGN(auto role, orgs_->Authorize(auth));
  EXPECT_EQ(role.role(), "owner");

  // The business, its opening hours and its products.
  business::v1::GetBusinessRequest get;
  get.set_org_id(org_id);
  get.set_business_id(business_id);
  MH_ASSERT_OK_AND_ASSIGN(auto business, businesses_->GetBusiness(get));
  EXPECT_EQ(business.business().name(), "Warung Bu Sari");
  EXPECT_EQ(business.business().phone(), "081234567890");
  EXPECT_EQ(business.business().opening_hours_size(), 7);
  business::v1::ListProductsRequest products;
  products.set_org_id(org_id);
  products.set_business_id(business_id);
  MH_ASSERT_OK_AND_ASSIGN(auto listed, businesses_->ListProducts(products));
  ASSERT_EQ(listed.items_size(), 3);
  std::map<std::string, std::int64_t> prices;  // listed by id, not by the order they were told
  for (const auto& p : listed.items()) prices[p.name()] = p.price().amount();
  EXPECT_EQ(prices, (std::map<std::string, std::int64_t>{
                        {"Ayam bakar", 25000}, {"Es teh", 5000}, {"Nasi goreng", 15000}}));

  // The FAQs, searchable at once.
  rag::v1::ListFaqsRequest list;
  list.set_org_id(org_id);
  list.set_business_id(business_id);
  MH_ASSERT_OK_AND_ASSIGN(auto stored, rag_->service().ListFaqs(list));
  EXPECT_EQ(stored.items_size(), faqs);
  rag::v1::SearchRequest search;
  search.set_org_id(org_id);
  search.set_business_id(business_id);
  search.set_query("jam berapa buka?");
  MH_ASSERT_OK_AND_ASSIGN(auto found, rag_->service().Search(search));
  ASSERT_FALSE(found.results().empty());
  EXPECT_EQ(found.results(0).source_type(), "faq");
  EXPECT_NE(found.results(0).text().find("08.00"), std::string::npos) << found.results(0).text();

  // Afterwards the session stays done; another user cannot continue it.
  r = Say("ya");
  EXPECT_TRUE(r.done());
  EXPECT_EQ(r.business_id(), business_id);
  v1::SetupChatRequest other;
  other.set_user_id("usr_other");
  other.set_session_id(session_);
  other.set_message("halo");
  EXPECT_EQ(Svc().SetupChat(other).status().code(), StatusCode::kNotFound);
  MH_ASSERT_OK_AND_ASSIGN(auto orgs_of_user, orgs_->ListOrgs([] {
    org::v1::ListOrgsRequest req;
    req.set_user_id("usr_new");
    return req;
  }()));
  EXPECT_EQ(orgs_of_user.items_size(), 1) << "\"ya\" after done creates nothing more";
}

TEST_P(SetupContractTest, MessagesAreValidated) {
  v1::SetupChatRequest req;
  req.set_user_id("usr_new");
  req.set_message(std::string(2001, 'a'));
  EXPECT_EQ(Svc().SetupChat(req).status().code(), StatusCode::kInvalidArgument);
  req.set_message("halo");
  req.set_session_id("asn_00000000000000000000000000");
  EXPECT_EQ(Svc().SetupChat(req).status().code(), StatusCode::kInvalidArgument);
  req.set_session_id("asu_00000000000000000000000000");
  EXPECT_EQ(Svc().SetupChat(req).status().code(), StatusCode::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(All, SetupContractTest,
                         ::testing::Combine(::testing::Values(testing::Backend::kSqlite,
                                                              testing::Backend::kPostgres),
                                            ::testing::Values(testing::Transport::kInProcess,
                                                              testing::Transport::kGrpc)),
                         testing::ParamName);

}  // namespace
}  // namespace milkyhoop::assistant
