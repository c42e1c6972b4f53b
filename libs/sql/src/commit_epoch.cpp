#include "milkyhoop/sql/commit_epoch.hpp"

#include <utility>

namespace milkyhoop::sql {
namespace {

class EpochDatabase final : public Database {
 public:
  EpochDatabase(std::unique_ptr<Database> inner, CommitEpoch& epoch)
      : inner_(std::move(inner)), epoch_(epoch) {}

  Dialect dialect() const override { return inner_->dialect(); }
  Status Transaction(const std::function<Status(Session&)>& fn) override {
    Status s = inner_->Transaction(fn);
    epoch_.Advance();
    return s;
  }
  Status Read(const std::function<Status(Session&)>& fn) override { return inner_->Read(fn); }
  Status Ping() override { return inner_->Ping(); }
  std::string Describe() const override { return inner_->Describe(); }

 private:
  std::unique_ptr<Database> inner_;
  CommitEpoch& epoch_;
};

}  // namespace

std::unique_ptr<Database> AdvanceOnCommit(std::unique_ptr<Database> db, CommitEpoch& epoch) {
  return std::make_unique<EpochDatabase>(std::move(db), epoch);
}

}  // namespace milkyhoop::sql
