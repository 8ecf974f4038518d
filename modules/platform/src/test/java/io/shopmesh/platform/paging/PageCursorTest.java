package io.shopmesh.platform.paging;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PageCursorTest {

  @Test
  @DisplayName("a cursor survives its round trip through an opaque URL-safe string, to the microsecond")
  void roundTrip() {
    PageCursor cursor = new PageCursor(Instant.parse("2026-11-25T10:15:30.123456789Z"), UUID.randomUUID());
    String encoded = cursor.encode();
    assertThat(encoded).matches("[A-Za-z0-9_-]+");
    PageCursor decoded = PageCursor.decode(encoded);
    assertThat(decoded).isEqualTo(cursor);
    assertThat(decoded.createdAt()).isEqualTo(Instant.parse("2026-11-25T10:15:30.123456Z"));
  }

  @Test
  @DisplayName("anything that is not a cursor is refused")
  void garbage() {
    for (String bad : new String[] {"", "abc", "!!!", "MTIzOm5vdC1hLXV1aWQ", "x".repeat(200)}) {
      assertThatThrownBy(() -> PageCursor.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  @DisplayName("a crafted cursor with a time no row can have (5950 BC, year 20000) is refused, not sent to the database")
  void timesOutOfRange() {
    UUID id = UUID.randomUUID();
    for (String micros : new String[] {"-250000000000000000", "568971820800000000"}) {
      String crafted = java.util.Base64.getUrlEncoder().withoutPadding()
          .encodeToString((micros + ":" + id).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      assertThatThrownBy(() -> PageCursor.decode(crafted)).as(micros).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("out of range");
    }
  }
}
