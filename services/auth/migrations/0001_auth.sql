-- Auth service schema (SQLite and PostgreSQL). Times are Unix milliseconds.

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,          -- trimmed, lower-cased
  name TEXT NOT NULL,
  password_hash TEXT,                  -- argon2id PHC string; NULL for OIDC-only accounts
  totp_secret_sealed TEXT,             -- enabled TOTP secret, sealed (envelope)
  totp_pending_sealed TEXT,            -- set up but not yet confirmed
  totp_last_step BIGINT,               -- last accepted time step: codes at or before it are refused
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- Consecutive failed logins per email (hashed), whether or not an account exists, so that
-- lockout cannot be used to find out which emails are registered.
CREATE TABLE login_failures (
  email_hash TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  lockouts INTEGER NOT NULL,           -- locks so far: picks the next delay
  locked_until BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

-- A session is one sign-in and the family of refresh tokens rotated from it.
CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,          -- idle expiry, moved forward by each refresh
  max_expires_at BIGINT NOT NULL,      -- absolute end
  ip TEXT NOT NULL,
  user_agent TEXT NOT NULL,
  revoked_at BIGINT,
  revoke_reason TEXT
);
CREATE INDEX sessions_user ON sessions(user_id, created_at);

-- Refresh tokens are stored as SHA-256 (hex) only. spent_at is set when rotated.
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions(id),
  created_at BIGINT NOT NULL,
  spent_at BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens(session_id);

-- Access-token signing keys. The private key (or HMAC secret) is sealed by the security
-- service; active = 1 marks the one key that signs (UNIQUE: NULLs do not collide).
CREATE TABLE signing_keys (
  kid TEXT PRIMARY KEY,
  algorithm TEXT NOT NULL,
  private_sealed TEXT NOT NULL,
  public_jwk TEXT,                     -- NULL for HS256 (never published)
  active INTEGER UNIQUE,
  created_at BIGINT NOT NULL,
  retired_at BIGINT,                   -- stopped signing
  publish_until BIGINT                 -- last moment a token it signed can be valid
);

-- Started OIDC sign-ins: single use, short-lived. Looked up by the hash of `state`.
CREATE TABLE oidc_states (
  state_hash TEXT PRIMARY KEY,
  nonce TEXT NOT NULL,
  code_verifier_sealed TEXT NOT NULL,
  redirect_uri TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL
);

-- Provider accounts linked to users (issuer + subject is the provider's stable identity).
CREATE TABLE oidc_identities (
  issuer TEXT NOT NULL,
  subject TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users(id),
  email TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (issuer, subject)
);
