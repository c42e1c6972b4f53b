-- Organisation service schema (SQLite and PostgreSQL). Tenant-owned tables carry org_id and
-- every query of them filters on it; the documented exceptions are the lookups that find the
-- tenant: a user's memberships (ListOrgs), an invitation by email (registration) and an API key
-- by its prefix (VerifyApiKey).

CREATE TABLE orgs (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  slug TEXT NOT NULL UNIQUE,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  deleted_at BIGINT NULL
);

-- Members and invitations. An invitation has user_id NULL and invite_email set; accepting it
-- sets user_id and clears invite_email (NULLs never collide in the unique constraints).
CREATE TABLE memberships (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  user_id TEXT NULL,
  invite_email TEXT NULL,
  role TEXT NOT NULL,
  status TEXT NOT NULL,
  invited_by TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  joined_at BIGINT NULL,
  UNIQUE (org_id, user_id),
  UNIQUE (org_id, invite_email)
);
CREATE INDEX memberships_by_user ON memberships (user_id);
CREATE INDEX memberships_by_invite_email ON memberships (invite_email);

-- Read model of the auth service's users (email and name for member lists), fed by
-- auth.user.registered and by callers that resolved a user. Not tenant-owned.
CREATE TABLE user_profiles (
  user_id TEXT PRIMARY KEY,
  email TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL
);

-- secret_hash: lowercase hex SHA-256 of the whole secret; the secret itself is never stored.
-- scopes: space-separated permissions.
CREATE TABLE api_keys (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  name TEXT NOT NULL,
  prefix TEXT NOT NULL UNIQUE,
  secret_hash TEXT NOT NULL,
  scopes TEXT NOT NULL,
  business_id TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NULL,
  revoked_at BIGINT NULL
);
CREATE INDEX api_keys_by_org ON api_keys (org_id, id);
