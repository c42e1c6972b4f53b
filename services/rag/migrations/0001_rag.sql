-- The rag service's own tables. Every row carries org_id and business_id and every query filters
-- by both. The in-memory indexes are derived from these rows and rebuilt from them at start.

CREATE TABLE faqs (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  question TEXT NOT NULL,
  answer TEXT NOT NULL,
  -- Tags joined by a newline (a tag cannot hold one).
  tags TEXT NOT NULL,
  embedding TEXT NOT NULL,
  embedding_model TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE INDEX faqs_business ON faqs (business_id, id);

CREATE TABLE documents (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  title TEXT NOT NULL,
  content_type TEXT NOT NULL,
  filename TEXT NOT NULL,
  -- processing | indexed | failed
  status TEXT NOT NULL,
  chunks INTEGER NOT NULL,
  bytes BIGINT NOT NULL,
  error TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE INDEX documents_business ON documents (business_id, id);
CREATE INDEX documents_status ON documents (status);

-- Searchable passages that are not FAQs: document chunks, and one entry per product and per
-- business profile (kept current from the business service's events).
CREATE TABLE chunks (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  -- document | product | profile
  source_type TEXT NOT NULL,
  source_id TEXT NOT NULL,
  ordinal INTEGER NOT NULL,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  -- Base64 of little-endian float32s, "" when not embedded; with the model that made it.
  embedding TEXT NOT NULL,
  embedding_model TEXT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE INDEX chunks_business ON chunks (business_id, source_type, source_id);
CREATE INDEX chunks_source ON chunks (source_id);

-- Bumped on every change of a business's knowledge: answer caches key on it.
CREATE TABLE knowledge_versions (
  business_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  version BIGINT NOT NULL
);
