-- The owner assistant's own tables. Owner rows carry org_id and business_id and every query
-- filters by both; setup rows belong to one user until setup creates their organisation.

-- One owner chat session of a (business, user), with at most one pending draft.
CREATE TABLE owner_sessions (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  -- The pending draft or question as JSON; '' when none.
  pending TEXT NOT NULL,
  -- The last transaction this session posted (what "batalkan transaksi terakhir" voids).
  last_transaction_id TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE INDEX owner_sessions_owner ON owner_sessions (business_id, user_id);

-- Every owner turn and its outcome, for audit and for improving the rules.
CREATE TABLE owner_turns (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  text TEXT NOT NULL,
  intent TEXT NOT NULL,
  entities TEXT NOT NULL,
  action_type TEXT NOT NULL,
  action_data TEXT NOT NULL,
  reply TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX owner_turns_business ON owner_turns (business_id, id);
CREATE INDEX owner_turns_session ON owner_turns (session_id, id);

-- One setup conversation of a user: its state and what it collected, as JSON.
CREATE TABLE setup_sessions (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  state TEXT NOT NULL,
  data TEXT NOT NULL,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE INDEX setup_sessions_user ON setup_sessions (user_id, id);

CREATE TABLE setup_turns (
  id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  user_id TEXT NOT NULL,
  text TEXT NOT NULL,
  state TEXT NOT NULL,
  reply TEXT NOT NULL,
  created_at_ms BIGINT NOT NULL
);
CREATE INDEX setup_turns_session ON setup_turns (session_id, id);
