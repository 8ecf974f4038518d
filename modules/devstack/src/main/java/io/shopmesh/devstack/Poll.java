package io.shopmesh.devstack;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Waits for a condition with a deadline (Awaitility underneath): everything in devstack and the
 * benchmark launcher that waits for a server, a port or a process to come up goes through here.
 * It blocks the calling thread until the condition holds, so never call it on an event loop.
 */
public final class Poll {

  private static final Duration INTERVAL = Duration.ofMillis(100);

  /** One attempt: returns the value when ready, {@code null} (or throws) when not yet. */
  @FunctionalInterface
  public interface Probe<T> {
    T attempt() throws Exception;
  }

  /** Thrown by a probe that knows waiting longer cannot help (the process died). */
  public static final class GiveUp extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GiveUp(String message) {
      super(message);
    }
  }

  private Poll() {
  }

  /**
   * Calls {@code probe} until it returns a value or {@code timeout} passes.
   *
   * @throws IllegalStateException on timeout, naming {@code what} and the last failure
   * @throws GiveUp when the probe gives up
   */
  public static <T> T until(String what, Duration timeout, Probe<T> probe) {
    AtomicReference<Exception> lastFailure = new AtomicReference<>();
    try {
      return Awaitility.await(what).atMost(timeout).pollDelay(Duration.ZERO).pollInterval(INTERVAL)
          .until(() -> {
            try {
              return probe.attempt();
            } catch (GiveUp e) {
              throw e;
            } catch (Exception e) {
              lastFailure.set(e);
              return null;
            }
          }, Objects::nonNull);
    } catch (ConditionTimeoutException e) {
      Exception last = lastFailure.get();
      throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what
          + (last == null ? "" : " (last error: " + last + ")"), last);
    }
  }
}
