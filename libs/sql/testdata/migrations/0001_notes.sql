-- Test migrations embedded through cmake's mh_embed_migrations, as a service ships them.
CREATE TABLE notes (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
