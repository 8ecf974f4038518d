-- Inbox rows are deleted once they are older than consumer.inboxRetention (see InboxConsumer); this
-- index lets that cleanup find them without reading the whole table. A plain (not concurrent) build:
-- CREATE INDEX CONCURRENTLY waits for every older transaction, Flyway's own lock transaction among
-- them. On an inbox that grew large before the cleanup existed, consumers wait (nothing is lost) while
-- the first start after the upgrade builds it.
CREATE INDEX IF NOT EXISTS inbox_received ON inbox (consumer, received_at);
