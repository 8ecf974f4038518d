package io.shopmesh.platform.paging;

import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.UUID;

/**
 * Where a page of a list sorted by (creation time, id) ended. Keyset paging on that pair stays
 * stable while rows are added: a new row sorts before (newest first) or after (oldest first)
 * everything a client already saw, so pages never repeat or skip one. Clients see an opaque
 * string. Plain Java, so domain packages may use it.
 */
public record PageCursor(Instant createdAt, UUID id) {

  private static final int MAX_LENGTH = 128;
  /**
   * The latest creation time a cursor may carry (the earliest is the epoch): rows are created now, and
   * PostgreSQL's timestamps end before 4714 BC and after 294276 AD, so a crafted cursor outside these
   * years would fail the query (a 500).
   */
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

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
    if (cursor.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("cursor too long");
    }
    String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
    int colon = text.indexOf(':');
    if (colon < 1) {
      throw new IllegalArgumentException("not a cursor");
    }
    try {
      long micros = Long.parseLong(text.substring(0, colon));
      Instant createdAt = Instant.EPOCH.plus(micros, ChronoUnit.MICROS);
      if (createdAt.isBefore(Instant.EPOCH) || createdAt.isAfter(LATEST)) {
        throw new IllegalArgumentException("cursor out of range");
      }
      return new PageCursor(createdAt, UUID.fromString(text.substring(colon + 1)));
    } catch (DateTimeException | ArithmeticException e) {
      throw new IllegalArgumentException("cursor out of range", e);
    }
  }
}
