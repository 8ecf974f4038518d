package io.shopmesh.inventory.work;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The pause an import takes between batches. */
class ImportRestTest {

  @Test
  @DisplayName("an import rests restRatio times its batch, never long enough for the running job to look stale")
  void restIsBoundedByStaleness() {
    Duration staleAfter = Duration.ofMinutes(2);
    assertThat(ImportRunner.restMillis(200, 1.0, staleAfter)).isEqualTo(200);
    assertThat(ImportRunner.restMillis(200, 0.0, staleAfter)).as("no rest: the next batch from a 1 ms timer")
        .isEqualTo(1);
    // a 25 s batch at ratio 5 would rest 125 s, past the 120 s after which a job without progress is FAILED
    assertThat(ImportRunner.restMillis(25_000, 5.0, staleAfter)).isEqualTo(30_000);
  }
}
