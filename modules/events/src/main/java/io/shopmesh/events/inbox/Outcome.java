package io.shopmesh.events.inbox;

import java.util.Locale;

/** What became of one consumed record; each counts as processed, so its offset may be committed. */
enum Outcome {
  /** the handler's transaction committed together with the inbox row */
  APPLIED,
  /** the inbox already held the event id: acknowledged and skipped */
  DUPLICATE,
  /** unreadable, or the handler kept failing: the record went to {@code <topic>.dlq} */
  DEAD_LETTERED;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
