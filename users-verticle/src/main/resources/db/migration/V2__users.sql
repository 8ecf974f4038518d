-- Accounts. Emails are stored lower-cased (the service normalises them), so the unique
-- constraint makes them unique regardless of case; the check keeps every writer honest.
CREATE TABLE users (
  id            uuid        PRIMARY KEY,
  email         text        NOT NULL,
  name          text        NOT NULL,
  password_hash text        NOT NULL,
  roles         text[]      NOT NULL,
  created_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  updated_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT users_email_key UNIQUE (email),
  CONSTRAINT users_email_lower CHECK (email = lower(email)),
  CONSTRAINT users_roles_not_empty CHECK (cardinality(roles) > 0)
);

-- The admin list pages through accounts in creation order (keyset paging on this pair).
CREATE INDEX users_created_at_id ON users (created_at, id);
