package io.shopmesh.devstack;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One JVM shutdown hook that stops everything devstack started, newest first.
 *
 * <p>The JVM runs separate shutdown hooks concurrently and in no order; a stack started bottom-up
 * (Postgres, then services) must stop top-down, so every server registers here instead of adding
 * its own hook. A registration is cancelled when its owner stops normally.
 */
public final class ShutdownSequence {

  private static final Logger LOG = LoggerFactory.getLogger(ShutdownSequence.class);
  private static final Deque<Entry> ENTRIES = new ArrayDeque<>();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ShutdownSequence::runAll, "shopmesh-shutdown"));
  }

  /** Cancels one registration; cancelling twice is harmless. */
  @FunctionalInterface
  public interface Registration {
    void cancel();
  }

  private record Entry(String name, Runnable action) {
  }

  private ShutdownSequence() {
  }

  /** Runs {@code action} at JVM shutdown, before everything registered earlier. */
  public static Registration register(String name, Runnable action) {
    Entry entry = new Entry(name, action);
    synchronized (ENTRIES) {
      ENTRIES.addLast(entry);
    }
    return () -> {
      synchronized (ENTRIES) {
        ENTRIES.remove(entry);
      }
    };
  }

  private static void runAll() {
    Entry entry;
    while ((entry = next()) != null) {
      try {
        entry.action().run();
      } catch (RuntimeException e) {
        LOG.warn("stopping {} at shutdown failed: {}", entry.name(), e.toString());
      }
    }
  }

  private static Entry next() {
    synchronized (ENTRIES) {
      return ENTRIES.pollLast();
    }
  }
}
