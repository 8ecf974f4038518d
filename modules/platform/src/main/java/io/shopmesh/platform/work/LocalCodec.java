package io.shopmesh.platform.work;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** Hands jobs and their outcomes over by reference: a work pool's messages never leave the JVM. */
final class LocalCodec implements MessageCodec<Object, Object> {

  private final String name;

  LocalCodec(String name) {
    this.name = name;
  }

  static String name(String pool) {
    return "shopmesh-work-" + pool;
  }

  @Override
  public void encodeToWire(Buffer buffer, Object o) {
    throw new UnsupportedOperationException("work pool messages are local only");
  }

  @Override
  public Object decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException("work pool messages are local only");
  }

  @Override
  public Object transform(Object o) {
    return o;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
