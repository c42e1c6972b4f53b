-- The installation's identity: one row, written at first start. Replicas that share a
-- database report the same instance id in /status.
CREATE TABLE instance (
  id TEXT PRIMARY KEY,
  created_at BIGINT NOT NULL,
  first_version TEXT NOT NULL
);
