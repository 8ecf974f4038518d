package io.shopmesh.events;

import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.UUID;

/**
 * What travels on a topic: the event's identity and metadata around its payload.
 *
 * @param id          time-ordered UUID; the inbox deduplicates on it
 * @param traceparent W3C trace context of the operation that caused the event, or null
 */
public record Envelope(UUID id, String type, int version, Instant occurredAt, String aggregateId,
                       String traceparent, JsonObject payload) {

  /** Wraps {@code event} in a new envelope. */
  public static Envelope of(DomainEvent event, String traceparent) {
    EventType type = EventCodec.typeOf(event.getClass());
    return new Envelope(UuidV7.next(), type.name(), type.version(), Instant.now(), event.aggregateId(),
        traceparent, EventCodec.toJson(event));
  }

  public JsonObject toJson() {
    return new JsonObject()
        .put("id", id.toString())
        .put("type", type)
        .put("version", version)
        .put("occurredAt", occurredAt.toString())
        .put("aggregateId", aggregateId)
        .put("traceparent", traceparent)
        .put("payload", payload);
  }

  /** Parses an envelope; throws {@link IllegalArgumentException} when a required member is missing or malformed. */
  public static Envelope fromJson(JsonObject json) {
    try {
      return new Envelope(
          UUID.fromString(json.getString("id")),
          require(json.getString("type"), "type"),
          json.getInteger("version", 1),
          Instant.parse(require(json.getString("occurredAt"), "occurredAt")),
          require(json.getString("aggregateId"), "aggregateId"),
          json.getString("traceparent"),
          require(json.getJsonObject("payload"), "payload"));
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not an event envelope: " + e.getMessage(), e);
    }
  }

  /** The payload as the contract record {@code type}. */
  public <T extends DomainEvent> T payloadAs(Class<T> type) {
    return EventCodec.fromJson(payload, type);
  }

  private static <T> T require(T value, String name) {
    if (value == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return value;
  }
}
