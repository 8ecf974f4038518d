package io.shopmesh.platform.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.spi.AppenderAttachable;
import ch.qos.logback.core.spi.AppenderAttachableImpl;
import org.slf4j.event.KeyValuePair;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The asynchronous appender of Shopmesh services: the thread that logs (often an event loop) only
 * enqueues the event, and encoding and writing to stdout happen on the appender's own thread, so a
 * slow log reader never stalls an event loop. The correlation ids live in the logging Vert.x
 * context ({@link LogContext}), which the appender's thread cannot see: they are copied into the
 * event as key-value pairs before it is queued, and {@link JsonLineEncoder} writes them as usual.
 *
 * <p>Unlike logback's {@code AsyncAppender}, whose thread sleeps on the queue and so is woken by
 * nearly every event under load (a futex call on the logging thread and a context switch on the
 * appender's, per access-log line at the gateway), this one's thread, once it has written a batch,
 * sleeps {@value #BATCH_INTERVAL_MS} ms and takes what has queued up meanwhile; only when it then
 * finds nothing does it sleep until the next event wakes it. Under load a logging thread thus
 * makes no system call and the appender wakes 100 times a second whatever the rate; when idle it
 * costs nothing; lines reach stdout up to {@value #BATCH_INTERVAL_MS} ms later. Settings as logback's: {@code queueSize} (default 8192),
 * {@code neverBlock} (a full queue drops the event rather than block the caller; default false),
 * {@code discardingThreshold} (below that much free room, INFO and below are dropped; default a
 * fifth of the queue), {@code maxFlushTime} (how long {@code stop()} writes what is still queued;
 * default 1000 ms). With a shutdown hook, everything queued before the JVM exits is written.
 */
public final class ContextAsyncAppender extends UnsynchronizedAppenderBase<ILoggingEvent>
    implements AppenderAttachable<ILoggingEvent> {

  static final int BATCH_INTERVAL_MS = 10;
  private static final int UNDEFINED = -1;

  private final AppenderAttachableImpl<ILoggingEvent> appenders = new AppenderAttachableImpl<>();
  private BlockingQueue<ILoggingEvent> queue;
  private int queueSize = 8192;
  private int discardingThreshold = UNDEFINED;
  private boolean neverBlock;
  private int maxFlushTime = 1000;
  private Thread worker;
  /** The worker sleeps until woken: the next event must wake it. */
  private final AtomicBoolean sleeping = new AtomicBoolean();

  @Override
  public void start() {
    if (isStarted()) {
      return;
    }
    if (queueSize < 1) {
      addError("queueSize must be at least 1, got " + queueSize);
      return;
    }
    if (!appenders.iteratorForAppenders().hasNext()) {
      addError("no appender attached to " + getName());
      return;
    }
    queue = new ArrayBlockingQueue<>(queueSize);
    if (discardingThreshold == UNDEFINED) {
      discardingThreshold = queueSize / 5;
    }
    super.start();
    worker = new Thread(this::work, "AsyncAppender-Worker-" + getName());
    worker.setDaemon(true);
    worker.start();
  }

  @Override
  public void stop() {
    if (!isStarted()) {
      return;
    }
    super.stop();
    LockSupport.unpark(worker);
    try {
      worker.join(maxFlushTime);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (worker.isAlive()) {
      addWarn("not every queued event was written within maxFlushTime " + maxFlushTime + " ms; "
          + queue.size() + " left");
    }
    appenders.detachAndStopAllAppenders();
  }

  @Override
  protected void append(ILoggingEvent event) {
    if (queue.remainingCapacity() < discardingThreshold && event.getLevel().toInt() <= Level.INFO_INT) {
      return;
    }
    event.prepareForDeferredProcessing();
    if (event instanceof LoggingEvent logged) {
      LogContext.Scope scope = LogContext.current();
      add(logged, "requestId", scope.requestId());
      add(logged, "traceId", scope.traceId());
      add(logged, "spanId", scope.spanId());
    }
    if (queue.offer(event)) {
      wakeIfSleeping();
      return;
    }
    if (neverBlock) {
      return; // full: dropped rather than stall the caller
    }
    // blocking mode: the queue is full, so wake the worker now and wait for the room it makes
    while (isStarted()) {
      LockSupport.unpark(worker);
      try {
        if (queue.offer(event, BATCH_INTERVAL_MS, TimeUnit.MILLISECONDS)) {
          return;
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static void add(LoggingEvent event, String key, String value) {
    if (value != null) {
      event.addKeyValuePair(new KeyValuePair(key, value));
    }
  }

  private void wakeIfSleeping() {
    if (sleeping.get() && sleeping.compareAndSet(true, false)) {
      LockSupport.unpark(worker);
    }
  }

  private void work() {
    List<ILoggingEvent> batch = new ArrayList<>(queueSize);
    while (isStarted()) {
      if (queue.drainTo(batch) > 0) {
        write(batch);
        // more are likely on their way: let them gather instead of being woken by each
        LockSupport.parkNanos(this, TimeUnit.MILLISECONDS.toNanos(BATCH_INTERVAL_MS));
        continue;
      }
      sleeping.set(true);
      // checked again after announcing the sleep: an event queued before it would otherwise wake nobody
      if (queue.isEmpty() && isStarted()) {
        LockSupport.park(this);
      }
      sleeping.set(false);
    }
    // stopping: what is still queued, within maxFlushTime (stop() waits that long for this thread)
    while (queue.drainTo(batch) > 0) {
      write(batch);
    }
  }

  private void write(List<ILoggingEvent> batch) {
    for (ILoggingEvent event : batch) {
      appenders.appendLoopOnAppenders(event);
    }
    batch.clear();
  }

  public void setQueueSize(int queueSize) {
    this.queueSize = queueSize;
  }

  public int getQueueSize() {
    return queueSize;
  }

  public void setDiscardingThreshold(int discardingThreshold) {
    this.discardingThreshold = discardingThreshold;
  }

  public int getDiscardingThreshold() {
    return discardingThreshold;
  }

  public void setNeverBlock(boolean neverBlock) {
    this.neverBlock = neverBlock;
  }

  public boolean isNeverBlock() {
    return neverBlock;
  }

  public void setMaxFlushTime(int maxFlushTime) {
    this.maxFlushTime = maxFlushTime;
  }

  public int getMaxFlushTime() {
    return maxFlushTime;
  }

  @Override
  public void addAppender(Appender<ILoggingEvent> appender) {
    appenders.addAppender(appender);
  }

  @Override
  public Iterator<Appender<ILoggingEvent>> iteratorForAppenders() {
    return appenders.iteratorForAppenders();
  }

  @Override
  public Appender<ILoggingEvent> getAppender(String name) {
    return appenders.getAppender(name);
  }

  @Override
  public boolean isAttached(Appender<ILoggingEvent> appender) {
    return appenders.isAttached(appender);
  }

  @Override
  public void detachAndStopAllAppenders() {
    appenders.detachAndStopAllAppenders();
  }

  @Override
  public boolean detachAppender(Appender<ILoggingEvent> appender) {
    return appenders.detachAppender(appender);
  }

  @Override
  public boolean detachAppender(String name) {
    return appenders.detachAppender(name);
  }
}
