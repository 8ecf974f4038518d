-- Tables of the event backbone, created in every service database that publishes or consumes
-- events. Flyway history: flyway_events_history (apart from the service's own migrations).

-- Transactional outbox: rows are written in the same transaction as the state change they
-- describe, then published to Kafka by the relay, then deleted after a retention.
CREATE TABLE outbox (
  seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id           uuid        NOT NULL UNIQUE,
  topic        text        NOT NULL,
  aggregate_id text        NOT NULL,
  type         text        NOT NULL,
  envelope     text        NOT NULL,
  created_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
  published_at timestamptz
);

CREATE INDEX outbox_unpublished ON outbox (seq) WHERE published_at IS NULL;
CREATE INDEX outbox_published ON outbox (published_at) WHERE published_at IS NOT NULL;

-- Wakes the relay at commit time (notifications are delivered only if the transaction commits).
CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('outbox', '');
  RETURN NULL;
END
$$;

CREATE TRIGGER outbox_notify AFTER INSERT ON outbox FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify();

-- Idempotent inbox: the id of every event a consumer applied, written in the same transaction
-- as its effect. A redelivered event finds its id here and is skipped.
CREATE TABLE inbox (
  consumer     text        NOT NULL,
  event_id     uuid        NOT NULL,
  type         text        NOT NULL,
  topic        text        NOT NULL,
  partition    int         NOT NULL,
  kafka_offset bigint      NOT NULL,
  received_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (consumer, event_id)
);
