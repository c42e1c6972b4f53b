-- Which step of the intent cascade read each owner turn: "rules" or "llm". Turns stored before
-- the LLM step existed were all read by the rules.
ALTER TABLE owner_turns ADD COLUMN parsed_by TEXT NOT NULL DEFAULT 'rules';
