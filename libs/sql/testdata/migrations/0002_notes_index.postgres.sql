CREATE INDEX notes_by_tenant ON notes (tenant_id, created_at DESC);
CREATE TABLE dialect_marker (name TEXT NOT NULL);
INSERT INTO dialect_marker (name) VALUES ('postgres');
