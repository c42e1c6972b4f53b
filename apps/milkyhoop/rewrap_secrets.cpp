#include "rewrap_secrets.hpp"

#include <map>
#include <ostream>
#include <span>
#include <string>

#include "identity_module.hpp"
#include "milkyhoop/auth/auth_factory.hpp"
#include "milkyhoop/auth/sealed_columns.hpp"
#include "milkyhoop/business/business_factory.hpp"
#include "milkyhoop/business/sealed_columns.hpp"
#include "milkyhoop/chatbot/chatbot_factory.hpp"
#include "milkyhoop/chatbot/sealed_columns.hpp"
#include "milkyhoop/security/rewrap_sealed.hpp"
#include "milkyhoop/security/security_service.hpp"
#include "service_databases.hpp"

namespace milkyhoop::app {
namespace {

struct ServiceSecrets {
  const char* service;
  Status (*migrate)(sql::Database&);
  std::span<const security::SealedColumn> columns;
};

}  // namespace

Status RewrapSecrets(const AppConfig& config, std::ostream& out) {
  MH_ASSIGN_OR_RETURN(crypto::KeyRing keys, LoadKeys(config));
  const std::string active = keys.active().id;
  auto security = security::MakeSecurityService(std::move(keys));
  const ServiceSecrets services[] = {
      {"auth", &auth::MigrateAuthDatabase, auth::kSealedColumns},
      {"business", &business::MigrateBusinessDatabase, business::kSealedColumns},
      {"chatbot", &chatbot::MigrateChatbotDatabase, chatbot::kSealedColumns},
  };
  std::map<std::string, std::int64_t> in_use;
  for (const ServiceSecrets& s : services) {
    MH_ASSIGN_OR_RETURN(auto db, OpenServiceDatabase(config, s.service));
    // The tables must exist (a fresh install that never started has none yet).
    MH_TRY(s.migrate(*db));
    for (const security::SealedColumn& c : s.columns) {
      auto tally = security::RewrapSealedColumn(*db, *security, c);
      if (!tally.ok()) {
        return Status(tally.status().code(),
                      std::string(s.service) + ": " + tally.status().message());
      }
      out << s.service << " " << c.table << "." << c.column << ": " << tally->examined
          << " sealed, " << tally->rewrapped << " re-wrapped\n";
      for (const auto& [id, n] : tally->by_master_key) in_use[id] += n;
    }
  }
  out << "active master key: " << active << "\n";
  bool only_active = true;
  for (const auto& [id, n] : in_use) {
    if (id != active) {
      only_active = false;
      out << "still sealed under " << id << ": " << n << "\n";
    }
  }
  if (only_active) {
    out << "every sealed value is under the active key: older master keys may be removed\n";
  }
  return Status::Ok();
}

}  // namespace milkyhoop::app
