#pragma once
// What the chatbot's tests run against: the real business and security services on their own
// private databases, the chatbot's database, and one business per organisation.
#include <memory>
#include <string>

#include "milkyhoop/business/business_factory.hpp"
#include "milkyhoop/chatbot/chatbot_factory.hpp"
#include "milkyhoop/sqltest/test_database.hpp"

namespace milkyhoop::chatbot::testing {

inline const std::string kTokenKey = "test-conversation-token-key-of-32+bytes";

class ChatbotWorld {
 public:
  // Opens the databases and creates the two businesses; check ok() after.
  explicit ChatbotWorld(sqltest::Backend backend) { status_ = Open(backend); }
  const Status& status() const { return status_; }

  sql::Database& chatbot_db() { return chatbot_store_->db(); }
  business::BusinessService& businesses() { return *businesses_; }
  security::SecurityService& security() { return *security_; }
  const std::string& business_a() const { return business_a_; }
  const std::string& business_b() const { return business_b_; }

  Result<std::string> CreateBusiness(const std::string& org, const std::string& name,
                                     const std::string& language = "id") {
    business::v1::CreateBusinessRequest req;
    req.set_org_id(org);
    req.set_actor_id("usr_owner");
    req.set_name(name);
    req.set_description("Masakan rumahan");
    req.set_category("restaurant");
    req.set_language(language);
    req.set_currency("IDR");
    MH_ASSIGN_OR_RETURN(business::v1::CreateBusinessResponse created,
                        businesses_->CreateBusiness(req));
    return created.business().id();
  }

 private:
  Status Open(sqltest::Backend backend) {
    MH_ASSIGN_OR_RETURN(business_store_, sqltest::TestDatabase::Open(backend, "mh_cbb_"));
    MH_ASSIGN_OR_RETURN(chatbot_store_, sqltest::TestDatabase::Open(backend, "mh_cbt_"));
    MH_TRY(business::MigrateBusinessDatabase(business_store_->db()));
    MH_TRY(MigrateChatbotDatabase(chatbot_store_->db()));
    security_ = security::MakeSecurityService(crypto::KeyRing::Generate());
    businesses_ = business::MakeBusinessService(business_store_->db(), *security_, clock_);
    MH_ASSIGN_OR_RETURN(business_a_, CreateBusiness("org_a", "Warung Makan Bu Sari"));
    MH_ASSIGN_OR_RETURN(business_b_, CreateBusiness("org_b", "Laundry Kilat"));
    return Status::Ok();
  }

  Status status_;
  SystemClock clock_;
  std::unique_ptr<sqltest::TestDatabase> business_store_;
  std::unique_ptr<sqltest::TestDatabase> chatbot_store_;
  std::unique_ptr<security::SecurityService> security_;
  std::unique_ptr<business::BusinessService> businesses_;
  std::string business_a_;
  std::string business_b_;
};

}  // namespace milkyhoop::chatbot::testing
