package io.shopmesh.events.schema;

import java.lang.reflect.GenericArrayType;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.temporal.Temporal;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * How a Java type of an event record appears in JSON, as {@link io.shopmesh.events.EventCodec}
 * writes it: the JSON Schema type name and, for arrays, the element type.
 */
final class JsonTypes {

  private static final Set<Class<?>> INTEGERS = Set.of(int.class, long.class, short.class, byte.class,
      Integer.class, Long.class, Short.class, Byte.class, BigInteger.class);
  private static final Set<Class<?>> NUMBERS = Set.of(double.class, float.class, Double.class, Float.class,
      BigDecimal.class);

  private JsonTypes() {
  }

  /** {@code string}, {@code integer}, {@code number}, {@code boolean}, {@code array} or {@code object}. */
  static String of(Type type) {
    Class<?> raw = raw(type);
    if (raw == String.class || raw == UUID.class || raw == char.class || raw == Character.class || raw.isEnum()
        || Temporal.class.isAssignableFrom(raw)) {
      return "string";
    }
    if (INTEGERS.contains(raw)) {
      return "integer";
    }
    if (NUMBERS.contains(raw)) {
      return "number";
    }
    if (raw == boolean.class || raw == Boolean.class) {
      return "boolean";
    }
    if (raw.isArray() || Collection.class.isAssignableFrom(raw)) {
      return "array";
    }
    if (raw.isRecord() || Map.class.isAssignableFrom(raw)) {
      return "object";
    }
    throw new IllegalArgumentException("no JSON mapping for " + type.getTypeName()
        + ": event contracts use strings, numbers, booleans, time values, lists and records");
  }

  /** The element type of a list, set or array type. */
  static Type elementOf(Type type) {
    if (type instanceof ParameterizedType p && Collection.class.isAssignableFrom(raw(p))) {
      return p.getActualTypeArguments()[0];
    }
    if (type instanceof GenericArrayType g) {
      return g.getGenericComponentType();
    }
    if (type instanceof Class<?> c && c.isArray()) {
      return c.getComponentType();
    }
    throw new IllegalArgumentException(type.getTypeName() + " has no declared element type");
  }

  static Class<?> raw(Type type) {
    if (type instanceof Class<?> c) {
      return c;
    }
    if (type instanceof ParameterizedType p) {
      return (Class<?>) p.getRawType();
    }
    if (type instanceof GenericArrayType) {
      return Object[].class;
    }
    throw new IllegalArgumentException("unsupported type " + type.getTypeName());
  }
}
