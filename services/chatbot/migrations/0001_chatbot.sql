-- The chatbot service's tables: bot settings per business, conversations and their messages,
-- feedback on bot messages, and the LLM spend per business and Asia/Jakarta day.

CREATE TABLE bots (
  business_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  -- BotSettings as protobuf JSON (without the API key).
  settings TEXT NOT NULL,
  -- The LLM API key sealed by the security service; '' when none.
  llm_api_key_sealed TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);

CREATE TABLE conversations (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  visitor_id TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('open', 'handed_off', 'closed')),
  low_confidence_streak INTEGER NOT NULL DEFAULT 0,
  -- Whether the customer was told, once, that a human takes over.
  handoff_notice_sent INTEGER NOT NULL DEFAULT 0,
  message_count INTEGER NOT NULL DEFAULT 0,
  created_at_ms BIGINT NOT NULL,
  updated_at_ms BIGINT NOT NULL
);
CREATE INDEX conversations_by_business ON conversations (org_id, business_id, id);

CREATE TABLE messages (
  id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  business_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  -- Position in the conversation (1, 2, ...): ids are time-ordered only to the millisecond.
  seq INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('customer', 'bot', 'agent')),
  text TEXT NOT NULL,
  tier INTEGER NOT NULL DEFAULT 0,
  confidence DOUBLE PRECISION NOT NULL DEFAULT 0,
  -- [{source_type, source_id, title, snippet}] as JSON.
  citations TEXT NOT NULL DEFAULT '[]',
  prompt_tokens INTEGER NOT NULL DEFAULT 0,
  completion_tokens INTEGER NOT NULL DEFAULT 0,
  latency_ms BIGINT NOT NULL DEFAULT 0,
  fallback INTEGER NOT NULL DEFAULT 0,
  cached INTEGER NOT NULL DEFAULT 0,
  author_id TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL
);
CREATE UNIQUE INDEX messages_by_conversation ON messages (conversation_id, seq);

CREATE TABLE feedback (
  message_id TEXT PRIMARY KEY,
  org_id TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
  comment TEXT NOT NULL DEFAULT '',
  created_at_ms BIGINT NOT NULL
);

CREATE TABLE llm_spend (
  business_id TEXT NOT NULL,
  day TEXT NOT NULL,
  org_id TEXT NOT NULL,
  spent_milli BIGINT NOT NULL DEFAULT 0,
  prompt_tokens BIGINT NOT NULL DEFAULT 0,
  completion_tokens BIGINT NOT NULL DEFAULT 0,
  announced INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (business_id, day)
);
