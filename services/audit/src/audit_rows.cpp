#include "audit_rows.hpp"

namespace milkyhoop::audit {

v1::AuditEvent EventFromRow(const sql::Rows& rows, std::size_t r) {
  v1::AuditEvent e;
  v1::AuditRecord& rec = *e.mutable_record();
  e.set_id(rows.Text(r, 0));
  rec.set_org_id(rows.Text(r, 1));
  e.set_seq(rows.Int(r, 2));
  rec.set_at_ms(rows.Int(r, 3));
  rec.set_actor_id(rows.Text(r, 4));
  rec.set_action(rows.Text(r, 5));
  rec.set_target_type(rows.Text(r, 6));
  rec.set_target_id(rows.Text(r, 7));
  rec.set_ip(rows.Text(r, 8));
  rec.set_user_agent(rows.Text(r, 9));
  rec.set_result(rows.Text(r, 10));
  rec.set_request_id(rows.Text(r, 11));
  e.set_source_event_id(rows.Text(r, 12));
  e.set_recorded_at_ms(rows.Int(r, 13));
  e.set_prev_hash(rows.Text(r, 14));
  e.set_hash(rows.Text(r, 15));
  return e;
}

}  // namespace milkyhoop::audit
