package io.shopmesh.inventory.work;

import io.shopmesh.platform.errors.ProblemException;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bound on import jobs running at once in this instance: one more is refused at once with a
 * 503 and {@code Retry-After}, before its file is stored anywhere.
 */
public final class ImportSlots {

  private final int max;
  private final Duration retryAfter;
  private final AtomicInteger taken = new AtomicInteger();

  public ImportSlots(int max, Duration retryAfter) {
    this.max = max;
    this.retryAfter = retryAfter;
  }

  /** A slot for one job, or a 503 problem when all are taken. */
  public Slot acquire() {
    if (taken.incrementAndGet() > max) {
      taken.decrementAndGet();
      throw ProblemException.unavailable("the maximum of " + max + " imports is running; retry when one has "
          + "finished", retryAfter);
    }
    return new Slot();
  }

  /** Jobs running now. */
  public int taken() {
    return taken.get();
  }

  /** One running job's place; released once, when the job ends. */
  public final class Slot {

    private final AtomicBoolean held = new AtomicBoolean(true);

    private Slot() {
    }

    public void release() {
      if (held.compareAndSet(true, false)) {
        taken.decrementAndGet();
      }
    }
  }
}
