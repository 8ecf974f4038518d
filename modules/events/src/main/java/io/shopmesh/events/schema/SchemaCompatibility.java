package io.shopmesh.events.schema;

import io.shopmesh.events.EventCodec;
import io.shopmesh.events.EventType;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks an event record against the JSON Schemas checked in for its type
 * ({@code schemas/<name>.v<version>.json} on the class path), so that a change which would break
 * a consumer still reading an older version fails the build.
 *
 * <p>Compatible: adding a field (readers ignore unknown fields), widening integer to number.
 * Violations: a field the schema describes is gone, or its JSON type changed, at any depth
 * (nested records, lists of records). Type compatibility is structural, the way a reader sees it.
 */
public final class SchemaCompatibility {

  private SchemaCompatibility() {
  }

  /** The class-path resource of a schema version. */
  public static String resource(String typeName, int version) {
    return "schemas/" + typeName + ".v" + version + ".json";
  }

  /** The checked-in schema of {@code typeName} at {@code version}, or null when there is none. */
  public static JsonObject load(String typeName, int version) {
    try (InputStream in = SchemaCompatibility.class.getClassLoader().getResourceAsStream(resource(typeName, version))) {
      return in == null ? null : new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Violations of {@code event} against every checked-in schema version (1 up to its current
   * version) of its type, keyed by version; a missing schema for the current version is one too.
   */
  public static Map<Integer, List<String>> check(Class<? extends Record> event) {
    EventType type = EventCodec.typeOf(event);
    Map<Integer, List<String>> out = new LinkedHashMap<>();
    for (int v = 1; v <= type.version(); v++) {
      JsonObject schema = load(type.name(), v);
      if (schema != null) {
        out.put(v, violations(event, schema));
      } else if (v == type.version()) {
        out.put(v, List.of("no schema checked in at " + resource(type.name(), v)));
      }
    }
    return out;
  }

  /** What in {@code schema} (an object schema) the record {@code type} no longer satisfies; empty when compatible. */
  public static List<String> violations(Class<? extends Record> type, JsonObject schema) {
    List<String> out = new ArrayList<>();
    compare("$", type, schema, schema, out);
    return out;
  }

  private static void compare(String path, Type javaType, JsonObject node, JsonObject root, List<String> out) {
    JsonObject schema = resolve(node, root);
    Set<String> expected = types(schema);
    String actual = JsonTypes.of(javaType);
    if (!expected.isEmpty() && !expected.contains(actual) && !(actual.equals("integer") && expected.contains("number"))) {
      out.add(path + ": type changed from " + String.join("|", expected) + " to " + actual);
      return;
    }
    if (actual.equals("object") && JsonTypes.raw(javaType).isRecord()) {
      compareObject(path, JsonTypes.raw(javaType), schema, root, out);
    } else if (actual.equals("array") && schema.getValue("items") instanceof JsonObject items) {
      compare(path + "[]", JsonTypes.elementOf(javaType), items, root, out);
    }
  }

  private static void compareObject(String path, Class<?> record, JsonObject schema, JsonObject root,
                                    List<String> out) {
    Map<String, Type> components = new LinkedHashMap<>();
    for (RecordComponent c : record.getRecordComponents()) {
      components.put(c.getName(), c.getGenericType());
    }
    JsonObject properties = schema.getJsonObject("properties", new JsonObject());
    for (String field : properties.fieldNames()) {
      Type javaType = components.get(field);
      if (javaType == null) {
        out.add(path + "." + field + ": removed");
      } else {
        compare(path + "." + field, javaType, properties.getJsonObject(field), root, out);
      }
    }
  }

  /** The JSON types a schema node allows, without {@code null} (nullability is not checked). */
  private static Set<String> types(JsonObject schema) {
    Object type = schema.getValue("type");
    if (type instanceof String s) {
      return s.equals("null") ? Set.of() : Set.of(s);
    }
    if (type instanceof JsonArray array) {
      Set<String> out = new java.util.HashSet<>();
      array.forEach(t -> out.add(String.valueOf(t)));
      out.remove("null");
      return out;
    }
    return Set.of();
  }

  /** Follows a local {@code $ref} ({@code #/$defs/Line}); other references are not used by our schemas. */
  private static JsonObject resolve(JsonObject node, JsonObject root) {
    String ref = node.getString("$ref");
    if (ref == null) {
      return node;
    }
    if (!ref.startsWith("#/")) {
      throw new IllegalArgumentException("only local $ref is supported, got " + ref);
    }
    Object target = root;
    for (String part : ref.substring(2).split("/")) {
      target = target instanceof JsonObject o ? o.getValue(part) : null;
    }
    if (!(target instanceof JsonObject resolved)) {
      throw new IllegalArgumentException("unresolvable $ref " + ref);
    }
    return resolve(resolved, root);
  }
}
