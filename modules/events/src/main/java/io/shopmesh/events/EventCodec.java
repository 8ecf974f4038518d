package io.shopmesh.events;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Maps event records to and from JSON. Readers are tolerant (unknown fields are ignored) so a
 * producer can add fields without breaking consumers; dates are ISO-8601 strings.
 */
public final class EventCodec {

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .addModule(new JavaTimeModule())
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .build();

  private EventCodec() {
  }

  @SuppressWarnings("unchecked")
  public static JsonObject toJson(Object record) {
    return new JsonObject(MAPPER.convertValue(record, Map.class));
  }

  public static <T> T fromJson(JsonObject json, Class<T> type) {
    return MAPPER.convertValue(json.getMap(), type);
  }

  /** The annotation of an event class; fails for classes that are not event contracts. */
  public static EventType typeOf(Class<?> eventClass) {
    EventType type = eventClass.getAnnotation(EventType.class);
    if (type == null) {
      throw new IllegalArgumentException(eventClass.getName() + " is not annotated with @EventType");
    }
    return type;
  }
}
