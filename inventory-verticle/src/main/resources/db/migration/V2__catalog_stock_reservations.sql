-- Catalog, stock, reservations and bulk imports of the inventory service.

-- Trigram index support for substring search on name and description. pg_trgm is a trusted
-- extension: the database owner (the service's role) may create it.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- One row per product. "available" is what can still be reserved; quantities held by live
-- reservations are in reservation_lines. The C collation makes sku order plain byte order, the
-- same in keyset paging, in lock ordering and in Java.
CREATE TABLE products (
  sku         text COLLATE "C" PRIMARY KEY CHECK (sku ~ '^[A-Z0-9][A-Z0-9-]{1,63}$'),
  name        text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  description text        NOT NULL DEFAULT '' CHECK (length(description) <= 4000),
  price_cents bigint      NOT NULL CHECK (price_cents >= 0),
  currency    text        NOT NULL CHECK (currency ~ '^[A-Z]{3}$'),
  available   int         NOT NULL CHECK (available BETWEEN 0 AND 1000000000),
  created_at  timestamptz NOT NULL DEFAULT now(),
  updated_at  timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX products_search ON products USING gin ((name || ' ' || description) gin_trgm_ops);

-- Every change of a product's available quantity, so stock can be audited and conserved:
--   supplied (INITIAL + RESTOCK + ADJUSTMENT) = available + held by RESERVED reservations
--   and, per product, the sum of all deltas = available.
-- ADJUSTMENT is an import that set an existing product's stock to a new level.
CREATE TABLE stock_ledger (
  id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sku        text COLLATE "C" NOT NULL REFERENCES products (sku),
  kind       text        NOT NULL CHECK (kind IN ('INITIAL', 'RESTOCK', 'ADJUSTMENT', 'RESERVE', 'RELEASE')),
  delta      int         NOT NULL,
  reference  text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX stock_ledger_sku ON stock_ledger (sku);

-- What inventory decided for each order it heard of, at most one row per order whatever the
-- redelivery: RESERVED (stock held), RELEASED (held, then given back on cancellation), REJECTED
-- (nothing held) or CANCELLED (a tombstone: the cancellation arrived first, so a later
-- OrderPlaced for this order reserves nothing).
CREATE TABLE reservations (
  order_id   text PRIMARY KEY,
  status     text        NOT NULL CHECK (status IN ('RESERVED', 'RELEASED', 'REJECTED', 'CANCELLED')),
  currency   text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE reservation_lines (
  order_id         text        NOT NULL REFERENCES reservations (order_id),
  sku              text COLLATE "C" NOT NULL REFERENCES products (sku),
  quantity         int         NOT NULL CHECK (quantity > 0),
  unit_price_cents bigint      NOT NULL CHECK (unit_price_cents >= 0),
  currency         text        NOT NULL,
  PRIMARY KEY (order_id, sku)
);

CREATE INDEX reservation_lines_sku ON reservation_lines (sku);

-- The conservation check, per product: "balanced" must be true for every row.
CREATE VIEW stock_balance AS
SELECT p.sku,
       coalesce(l.supplied, 0)                                          AS supplied,
       p.available,
       coalesce(h.held, 0)                                              AS held,
       coalesce(l.movements, 0)                                         AS ledger_total,
       coalesce(l.supplied, 0) = p.available + coalesce(h.held, 0)
         AND coalesce(l.movements, 0) = p.available                     AS balanced
FROM products p
LEFT JOIN (SELECT sku,
                  sum(delta) FILTER (WHERE kind IN ('INITIAL', 'RESTOCK', 'ADJUSTMENT')) AS supplied,
                  sum(delta)                                                          AS movements
           FROM stock_ledger GROUP BY sku) l ON l.sku = p.sku
LEFT JOIN (SELECT rl.sku, sum(rl.quantity) AS held
           FROM reservation_lines rl JOIN reservations r ON r.order_id = rl.order_id
           WHERE r.status = 'RESERVED' GROUP BY rl.sku) h ON h.sku = p.sku;

-- Bulk imports: one row per uploaded file, progress updated with every committed batch.
CREATE TABLE import_jobs (
  id            uuid PRIMARY KEY,
  state         text        NOT NULL CHECK (state IN ('RUNNING', 'COMPLETED', 'FAILED')),
  format        text        NOT NULL,
  size_bytes    bigint      NOT NULL,
  requested_by  text        NOT NULL,
  rows_read     int         NOT NULL DEFAULT 0,
  rows_imported int         NOT NULL DEFAULT 0,
  error_count   int         NOT NULL DEFAULT 0,
  started_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now(),
  finished_at   timestamptz
);

-- The rejected rows of an import (the first imports.maxErrors of them), by line of the file.
CREATE TABLE import_errors (
  job_id  uuid   NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
  line    bigint NOT NULL,
  message text   NOT NULL
);

CREATE INDEX import_errors_job ON import_errors (job_id, line);
