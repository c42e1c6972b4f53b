-- Which process is ingesting a "processing" document, and until when that holds. The process
-- renews its lease while it works; a document whose lease has run out was left by a process that
-- died (its bytes were only in that process's memory), and any rag process marks it failed. So a
-- starting process no longer fails documents that another running process is ingesting.
ALTER TABLE documents ADD COLUMN lease_owner TEXT NOT NULL DEFAULT '';
ALTER TABLE documents ADD COLUMN lease_until_ms BIGINT NOT NULL DEFAULT 0;
