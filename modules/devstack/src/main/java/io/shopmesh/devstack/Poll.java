package io.shopmesh.devstack;

import java.time.Duration;

/**
 * Waits for a condition with a deadline. The one place in devstack (and the benchmark launcher)
 * that pauses a thread: everything that waits for a server, a port or a process to come up goes
 * through here. Never call it on an event loop.
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
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception lastFailure = null;
    while (true) {
      try {
        T value = probe.attempt();
        if (value != null) {
          return value;
        }
      } catch (GiveUp e) {
        throw e;
      } catch (Exception e) {
        lastFailure = e;
      }
      if (System.nanoTime() - deadline >= 0) {
        String last = lastFailure == null ? "" : " (last error: " + lastFailure + ")";
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what + last,
            lastFailure);
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(INTERVAL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting", e);
    }
  }
}
