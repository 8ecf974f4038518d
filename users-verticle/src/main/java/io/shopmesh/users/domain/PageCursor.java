package io.shopmesh.users.domain;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of accounts ended: the last account's creation time and id, the order the list is
 * sorted in. Keyset paging on that pair stays stable while accounts are added: a new account
 * sorts after every existing one, so it never shifts or repeats what a client already saw.
 * Clients see it as an opaque string.
 */
public record PageCursor(Instant createdAt, UUID id) {

  public PageCursor {
    createdAt = createdAt.truncatedTo(ChronoUnit.MICROS);
  }

  public String encode() {
    long micros = ChronoUnit.MICROS.between(Instant.EPOCH, createdAt);
    return Base64.getUrlEncoder().withoutPadding()
        .encodeToString((micros + ":" + id).getBytes(StandardCharsets.US_ASCII));
  }

  /** Reads a cursor made by {@link #encode}; throws {@link IllegalArgumentException} for anything else. */
  public static PageCursor decode(String cursor) {
    if (cursor.length() > 128) {
      throw new IllegalArgumentException("cursor too long");
    }
    String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
    int colon = text.indexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("not a cursor");
    }
    long micros = Long.parseLong(text.substring(0, colon));
    return new PageCursor(Instant.EPOCH.plus(micros, ChronoUnit.MICROS), UUID.fromString(text.substring(colon + 1)));
  }
}
