-- Audit log: one hash chain per organisation (SQLite and PostgreSQL). Every query filters on
-- org_id. (org_id, seq) is unique so two appenders that read the same head cannot both extend
-- it: the second insert fails and that append runs again on the new head.
CREATE TABLE audit_events (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  seq BIGINT NOT NULL,
  at_ms BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  action TEXT NOT NULL,
  target_type TEXT NOT NULL,
  target_id TEXT NOT NULL,
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  result TEXT NOT NULL,
  request_id TEXT NOT NULL,
  source_event_id TEXT NOT NULL,
  recorded_at_ms BIGINT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL,
  UNIQUE (org_id, seq)
);
CREATE INDEX audit_events_by_action ON audit_events (org_id, action, seq);
CREATE INDEX audit_events_by_actor ON audit_events (org_id, actor_id, seq);
