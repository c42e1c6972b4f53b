#include "audit_hash.hpp"

#include <gtest/gtest.h>

namespace milkyhoop::audit {
namespace {

v1::AuditEvent Sample() {
  v1::AuditEvent e;
  e.set_id("aud_1");
  e.set_seq(1);
  e.set_prev_hash(std::string(kGenesisHash));
  e.set_source_event_id("evt_1");
  e.set_recorded_at_ms(1700000000001);
  v1::AuditRecord& r = *e.mutable_record();
  r.set_org_id("org_1");
  r.set_at_ms(1700000000000);
  r.set_actor_id("usr_1");
  r.set_action("org.created");
  r.set_target_type("org");
  r.set_target_id("org_1");
  r.set_ip("203.0.113.7");
  r.set_user_agent("ua/1");
  r.set_result("success");
  r.set_request_id("req-1");
  return e;
}

TEST(AuditHashTest, MatchesTheDocumentedEncoding) {
  // Computed independently from the encoding in audit_hash.hpp (Python: struct.pack(">I", len)
  // + bytes for each of the 16 fields, then hashlib.sha256).
  EXPECT_EQ(ComputeAuditHash(Sample()),
            "b58d83b60e49d3c502cf45f42e432be5ee8829fa6c8418c2d202b761dfae5f08");
}

TEST(AuditHashTest, EveryFieldCounts) {
  const std::string base = ComputeAuditHash(Sample());
  auto changed = [&](auto mutate) {
    v1::AuditEvent e = Sample();
    mutate(e);
    return ComputeAuditHash(e) != base;
  };
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.set_id("aud_2"); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.set_seq(2); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.set_prev_hash("1" + e.prev_hash().substr(1)); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.set_source_event_id("evt_2"); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.set_recorded_at_ms(2); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.mutable_record()->set_org_id("org_2"); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.mutable_record()->set_at_ms(2); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.mutable_record()->set_actor_id("usr_2"); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.mutable_record()->set_action("org.deleted"); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.mutable_record()->set_target_type("x"); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.mutable_record()->set_target_id("x"); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.mutable_record()->set_ip("10.0.0.1"); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.mutable_record()->set_user_agent("ua/2"); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.mutable_record()->set_result("failure"); }));
  EXPECT_TRUE(changed([](v1::AuditEvent& e) { e.mutable_record()->set_request_id("r"); }));
  // The stored hash itself is not an input.
  EXPECT_FALSE(changed([](v1::AuditEvent& e) { e.set_hash("anything"); }));
}

TEST(AuditHashTest, FieldBoundariesAreUnambiguous) {
  v1::AuditEvent a = Sample();
  a.mutable_record()->set_target_type("ab");
  a.mutable_record()->set_target_id("c");
  v1::AuditEvent b = Sample();
  b.mutable_record()->set_target_type("a");
  b.mutable_record()->set_target_id("bc");
  EXPECT_NE(ComputeAuditHash(a), ComputeAuditHash(b));
}

}  // namespace
}  // namespace milkyhoop::audit
