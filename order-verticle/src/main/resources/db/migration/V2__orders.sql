-- Orders, their lines and the idempotency keys of POST /api/orders.

CREATE TABLE orders (
  id                uuid        PRIMARY KEY,
  user_id           text        NOT NULL,
  status            text        NOT NULL
                    CHECK (status IN ('PENDING', 'CONFIRMED', 'REJECTED', 'CANCELLED', 'EXPIRED')),
  total_cents       bigint      CHECK (total_cents >= 0),
  currency          text,
  -- [{sku, reason, detail}] when REJECTED
  rejection_reasons jsonb,
  -- why the order was CANCELLED or EXPIRED
  status_reason     text,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL
);

-- a customer's orders, newest first (keyset paging on created_at, id)
CREATE INDEX orders_by_user ON orders (user_id, created_at DESC, id DESC);
-- the deadline job looks only at PENDING orders, oldest first
CREATE INDEX orders_pending ON orders (created_at) WHERE status = 'PENDING';

CREATE TABLE order_lines (
  order_id         uuid    NOT NULL REFERENCES orders (id),
  line_no          int     NOT NULL,
  sku              text    NOT NULL,
  quantity         int     NOT NULL CHECK (quantity BETWEEN 1 AND 1000),
  -- the price inventory reserved the stock at, set when the order is CONFIRMED
  unit_price_cents bigint  CHECK (unit_price_cents >= 0),
  PRIMARY KEY (order_id, line_no),
  UNIQUE (order_id, sku)
);

-- One row per (customer, Idempotency-Key): the unique key decides which of several concurrent
-- identical requests creates the order; the others read the winner's row. request_hash is the
-- SHA-256 of the canonical request body, so a key reused with another body is detected.
CREATE TABLE idempotency_keys (
  user_id      text        NOT NULL,
  key          text        NOT NULL,
  request_hash text        NOT NULL,
  order_id     uuid        NOT NULL REFERENCES orders (id) DEFERRABLE INITIALLY DEFERRED,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (user_id, key)
);

CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- Wakes long polls (GET /api/orders/{id}?waitFor=...) on every instance when an order changes
-- state; notifications are delivered at commit, and only if the transaction commits.
CREATE FUNCTION order_state_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('order_state', NEW.id::text);
  RETURN NULL;
END
$$;

CREATE TRIGGER order_state_notify AFTER UPDATE OF status ON orders
  FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status) EXECUTE FUNCTION order_state_notify();
