-- The head (newest seq and hash) of every organisation's chain. Appenders lock the head row
-- before reading it, so appends to one organisation queue instead of racing for the same seq
-- (optimistic retries starved under steady contention from several processes). It also lets
-- VerifyChain notice that the newest events were removed: the head still names them.
CREATE TABLE audit_heads (
  org_id TEXT PRIMARY KEY,
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_heads (org_id, seq, hash)
  SELECT e.org_id, e.seq, e.hash FROM audit_events e
  WHERE e.seq = (SELECT MAX(m.seq) FROM audit_events m WHERE m.org_id = e.org_id);
