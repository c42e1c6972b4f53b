#include "audit_record_rules.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::audit {
namespace {

v1::AuditRecord Valid() {
  v1::AuditRecord r;
  r.set_org_id("org_1");
  r.set_action("member.added");
  r.set_result("success");
  return r;
}

std::string FieldOf(const Status& s) {
  return s.field_errors().empty() ? "" : s.field_errors()[0].field;
}

TEST(AuditRecordRulesTest, RequiredFieldsAndVocabulary) {
  EXPECT_TRUE(NormalizeRecord(Valid(), 5).ok());
  v1::AuditRecord r = Valid();
  r.clear_org_id();
  EXPECT_TRUE(NormalizeRecord(r, 5).ok());  // the user-level chain (auth events)
  r = Valid();
  r.set_org_id(std::string(65, 'o'));
  EXPECT_EQ(FieldOf(NormalizeRecord(r, 5).status()), "record.org_id");
  r = Valid();
  r.clear_action();
  EXPECT_EQ(FieldOf(NormalizeRecord(r, 5).status()), "record.action");
  r = Valid();
  r.set_result("maybe");
  EXPECT_EQ(FieldOf(NormalizeRecord(r, 5).status()), "record.result");
  r = Valid();
  r.set_at_ms(-1);
  EXPECT_EQ(FieldOf(NormalizeRecord(r, 5).status()), "record.at_ms");
}

TEST(AuditRecordRulesTest, TimeDefaultsToNow) {
  EXPECT_EQ(NormalizeRecord(Valid(), 1234)->at_ms(), 1234);
  v1::AuditRecord r = Valid();
  r.set_at_ms(99);
  EXPECT_EQ(NormalizeRecord(r, 1234)->at_ms(), 99);
}

TEST(AuditRecordRulesTest, LongFieldsAreCutNotRefused) {
  v1::AuditRecord r = Valid();
  r.set_user_agent(std::string(2000, 'u'));
  r.set_actor_id(std::string(300, 'a'));
  auto out = NormalizeRecord(r, 5);
  ASSERT_TRUE(out.ok());
  EXPECT_EQ(out->user_agent().size(), kMaxUserAgentBytes);
  EXPECT_EQ(out->actor_id().size(), kMaxFieldBytes);
}

TEST(AuditRecordRulesTest, TextBecomesValidUtf8CutBetweenCharacters) {
  EXPECT_EQ(SanitizeText("plain", 100), "plain");
  EXPECT_EQ(SanitizeText(std::string("a\0b", 3), 100), "a?b");
  EXPECT_EQ(SanitizeText("bad\xff\xfe", 100), "bad??");
  EXPECT_EQ(SanitizeText("\xC0\xAF", 100), "??");  // overlong '/'
  // "é" is two bytes: a 3-byte budget keeps "aé", a 2-byte one only "a".
  EXPECT_EQ(SanitizeText("a\xC3\xA9z", 3), "a\xC3\xA9");
  EXPECT_EQ(SanitizeText("a\xC3\xA9z", 2), "a");
  EXPECT_EQ(SanitizeText("\xF0\x9F\x98\x80", 4), "\xF0\x9F\x98\x80");
  EXPECT_EQ(SanitizeText("\xF0\x9F\x98", 4), "???");  // truncated sequence
}

}  // namespace
}  // namespace milkyhoop::audit
