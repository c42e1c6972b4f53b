-- The change log of the in-memory indexes: one row per changed source (an FAQ, a document's
-- chunks, a product, the profile) of a business, written in the transaction of the change. Every
-- process hosting rag applies it from the sequence its index reflects, so an FAQ written through
-- one process is searchable through all of them, and an index loaded from a snapshot catches up.
CREATE TABLE index_changes (
  seq BIGINT PRIMARY KEY,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  -- faq | document | product | profile: which rows to read again (faqs or chunks)
  source_type TEXT NOT NULL,
  source_id TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX index_changes_business ON index_changes (business_id, seq);
CREATE INDEX index_changes_created ON index_changes (created_at_ms);

-- One row. `seq` is the newest sequence handed out; a writer raises it as the last statement of
-- its transaction and holds the row lock until commit, so sequences commit in order and without
-- gaps (change_log.hpp). `compacted_through`: rows up to it may have been deleted.
CREATE TABLE index_change_head (
  id INTEGER PRIMARY KEY,
  seq BIGINT NOT NULL,
  compacted_through BIGINT NOT NULL
);
INSERT INTO index_change_head (id, seq, compacted_through) VALUES (1, 0, 0);
