package io.shopmesh.testkit;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * jqwik generators of hostile request input for the services' property tests. Bodies are derived
 * from one valid body of an endpoint and are invalid by construction (so the expected answer is
 * known): a field of the wrong type, a number out of range or negative, an unknown field
 * (mass assignment), a duplicate key, absurd nesting, invalid UTF-8, broken or trailing JSON, a
 * body that is not an object, or one larger than the body limit (413). Query values mix plausible
 * and absurd text, unicode edge cases and percent-encoded garbage.
 */
public final class HostileInput {

  /** Fields a client must never be able to set on its own. */
  public static final List<String> PRIVILEGED_FIELDS = List.of("roles", "role", "status", "totalCents", "priceCents",
      "available", "userId", "user_id", "id", "createdAt", "isAdmin", "admin", "__proto__", "constructor");

  /** Strings that stress decoders, collations and renderers; valid text, so a free-text field may accept them. */
  public static final List<String> UNICODE_EDGES = List.of(
      "\u202Eevil\u202C", "zero\u200Bwidth", "\uFEFFbom", "emoji \uD83D\uDE00\uD83D\uDC4D\uD83C\uDFFD",
      "e\u0301\u0301\u0301", "\u0000nul", "\uFFFF\uFFFE", "ＦＵＬＬ", "İıŞş", "\u00A0nbsp\u00A0",
      "\uD800", "\uDFFF", "a\u0000b", "\u2028line\u2029", "∞", "𝕊𝕙𝕠𝕡", "'; DROP TABLE users; --",
      "\" OR \"1\"=\"1", "%00", "${jndi:ldap://127.0.0.1/x}", "<script>alert(1)</script>", "\r\nX-Injected: 1");

  /** One hostile request body and the status it must get. */
  public record Body(String description, byte[] bytes, int expectedStatus) {

    @Override
    public String toString() {
      String text = new String(bytes, 0, Math.min(bytes.length, 160), StandardCharsets.UTF_8);
      return description + " (" + bytes.length + " bytes): " + text;
    }
  }

  private HostileInput() {
  }

  /**
   * Hostile variants of {@code valid} (an accepted body of the endpoint), each answered 400, or
   * 413 when larger than {@code bodyLimit}. {@code nested} names fields holding an array of objects
   * (e.g. {@code items}) whose members are mutated too.
   */
  public static Arbitrary<Body> bodies(JsonObject valid, long bodyLimit) {
    List<String> fields = new ArrayList<>(valid.fieldNames());
    Arbitrary<String> field = Arbitraries.of(fields);
    return Arbitraries.frequencyOf(
        Tuple.of(6, Combinators.combine(field, wrongTypes()).as((f, v) -> replaced(valid, f, v, "wrong type"))),
        Tuple.of(3, numericFields(valid).isEmpty() ? wrongTypeOfWhole() : Combinators.combine(
            Arbitraries.of(numericFields(valid)), hostileNumbers()).as((f, n) -> raw(valid, f, n, "bad number"))),
        Tuple.of(4, Combinators.combine(Arbitraries.of(PRIVILEGED_FIELDS).filter(f -> !valid.containsKey(f)),
            anyJsonValue()).as((f, v) -> added(valid, f, v))),
        Tuple.of(2, field.map(f -> duplicated(valid, f))),
        Tuple.of(2, Combinators.combine(field, Arbitraries.integers().between(40, 5000))
            .as((f, depth) -> nested(valid, f, depth))),
        Tuple.of(2, Combinators.combine(stringFields(valid).isEmpty() ? field : Arbitraries.of(stringFields(valid)),
            invalidUtf8()).as((f, bytes) -> withBytes(valid, f, bytes))),
        Tuple.of(3, broken(valid)),
        Tuple.of(2, wrongTypeOfWhole()),
        Tuple.of(1, Arbitraries.integers().between(1, 3).map(n -> oversized(valid, bodyLimit + n * 37_000L))));
  }

  /** A body larger than {@code size}: one string field of that length (e.g. 10 MB). */
  public static Body oversized(JsonObject valid, long size) {
    String field = valid.fieldNames().iterator().next();
    JsonObject copy = valid.copy().put(field, "x".repeat((int) Math.min(Integer.MAX_VALUE - 64, size)));
    return new Body("oversized " + field, copy.toBuffer().getBytes(), 413);
  }

  /** Values for one query parameter: plausible, absurd, huge, negative, unicode, encoded garbage. */
  public static Arbitrary<String> queryValues() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(40),
        Arbitraries.strings().withCharRange('!', '~').ofMaxLength(300),
        Arbitraries.longs().map(String::valueOf),
        Arbitraries.bigIntegers().between(new java.math.BigInteger("-1" + "0".repeat(40)),
            new java.math.BigInteger("1" + "0".repeat(40))).map(String::valueOf),
        Arbitraries.of("-1", "0", "1e9", "1.5", "NaN", "Infinity", "", " ", "null", "true", "[]", "{}", "0x10",
            "%FF", "%C3%28", "%E2%82", "%00", "%", "%%", "%2e%2e%2f", "PENDING,,", ",", "ms", "5s5", "99999999999s"),
        Arbitraries.of(UNICODE_EDGES),
        Arbitraries.strings().ofLength(5000));
  }

  /**
   * {@code value} for a URL: percent-encoded, except the values of {@link #queryValues()} that are
   * deliberately broken percent-encoding (printable ASCII starting with {@code %}), sent as they are.
   */
  public static String urlValue(String value) {
    boolean rawEscapes = value.startsWith("%") && value.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    return rawEscapes ? value : java.net.URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** A random JSON value of any type, nested at most three levels. */
  public static Arbitrary<Object> anyJsonValue() {
    return anyJson(3);
  }

  /** Random JSON documents of any shape (not necessarily objects), as text. */
  public static Arbitrary<String> anyJsonText() {
    return anyJson(4).map(HostileInput::encode);
  }

  private static Arbitrary<Object> anyJson(int depth) {
    Arbitrary<Object> scalar = Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(30).map(s -> (Object) s),
        Arbitraries.of(UNICODE_EDGES).map(s -> (Object) s),
        Arbitraries.longs().map(n -> (Object) n),
        Arbitraries.doubles().map(d -> (Object) d),
        Arbitraries.of(true, false).map(b -> (Object) b),
        Arbitraries.just(null));
    if (depth == 0) {
      return scalar;
    }
    Arbitrary<Object> array = anyJson(depth - 1).list().ofMaxSize(4).map(l -> (Object) new JsonArray(l));
    Arbitrary<Object> object = Arbitraries.maps(Arbitraries.strings().ofMinLength(1).ofMaxLength(12),
        anyJson(depth - 1)).ofMaxSize(4).map(m -> (Object) new JsonObject(new java.util.LinkedHashMap<>(m)));
    return Arbitraries.frequencyOf(Tuple.of(4, scalar), Tuple.of(1, array), Tuple.of(1, object));
  }

  private static Arbitrary<Object> wrongTypes() {
    return Arbitraries.of(new JsonArray().add(1), new JsonObject().put("a", 1), true, 1.5, "x", 7L,
        new JsonArray());
  }

  private static List<String> numericFields(JsonObject valid) {
    return valid.fieldNames().stream().filter(f -> valid.getValue(f) instanceof Number).toList();
  }

  private static List<String> stringFields(JsonObject valid) {
    return valid.fieldNames().stream().filter(f -> valid.getValue(f) instanceof String).toList();
  }

  /** Numbers no endpoint accepts in an integer field: negative, fractional, beyond 64 bits, exponents. */
  private static Arbitrary<String> hostileNumbers() {
    return Arbitraries.oneOf(
        Arbitraries.longs().between(Long.MIN_VALUE, -1).map(String::valueOf),
        Arbitraries.of("1.5", "0.1", "1e400", "-1e400", "1E3", "99999999999999999999999999999",
            "18446744073709551616", "9223372036854775808", "-9223372036854775809", "-0.0", "1" + "0".repeat(40),
            "\"12\"", "NaN", "Infinity", "0x1F", "01"));
  }

  private static Body replaced(JsonObject valid, String field, Object value, String what) {
    JsonObject copy = valid.copy();
    copy.put(field, wrongFor(valid.getValue(field), value));
    return new Body(what + " for " + field, copy.toBuffer().getBytes(), 400);
  }

  /** {@code candidate} unless it has the valid value's type, then something of another type. */
  private static Object wrongFor(Object valid, Object candidate) {
    boolean sameType = valid instanceof String && candidate instanceof String
        || valid instanceof Number && candidate instanceof Number && !(candidate instanceof Double)
        || valid instanceof JsonArray && candidate instanceof JsonArray
        || valid instanceof JsonObject && candidate instanceof JsonObject;
    if (!sameType) {
      return candidate;
    }
    return valid instanceof String ? (Object) 42L : "forty-two";
  }

  private static Body raw(JsonObject valid, String field, String literal, String what) {
    String text = valid.copy().put(field, "__HOSTILE__").encode().replace("\"__HOSTILE__\"", literal);
    return new Body(what + " for " + field, text.getBytes(StandardCharsets.UTF_8), 400);
  }

  private static Body added(JsonObject valid, String field, Object value) {
    JsonObject copy = valid.copy();
    copy.put(field, value);
    return new Body("unknown field " + field, copy.toBuffer().getBytes(), 400);
  }

  private static Body duplicated(JsonObject valid, String field) {
    String text = valid.encode();
    String second = new JsonObject().put(field, valid.getValue(field)).encode();
    text = text.substring(0, text.length() - 1) + "," + second.substring(1);
    return new Body("duplicate key " + field, text.getBytes(StandardCharsets.UTF_8), 400);
  }

  private static Body nested(JsonObject valid, String field, int depth) {
    String inner = new JsonObject().put(field, valid.getValue(field)).encode();
    String wrapped = "[".repeat(depth) + inner + "]".repeat(depth);
    String text = valid.copy().put(field, "__HOSTILE__").encode().replace("\"__HOSTILE__\"", wrapped);
    return new Body("nested " + depth + " deep at " + field, text.getBytes(StandardCharsets.UTF_8), 400);
  }

  private static Arbitrary<byte[]> invalidUtf8() {
    return Arbitraries.of(new byte[] {(byte) 0xC3, 0x28}, new byte[] {(byte) 0xFF}, new byte[] {(byte) 0x80},
        new byte[] {(byte) 0xE2, (byte) 0x82}, new byte[] {(byte) 0xF0, (byte) 0x9F, (byte) 0x98},
        new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF});
  }

  private static Body withBytes(JsonObject valid, String field, byte[] bad) {
    String text = valid.copy().put(field, "__HOSTILE__").encode();
    int at = text.indexOf("__HOSTILE__");
    byte[] head = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
    byte[] tail = text.substring(at + "__HOSTILE__".length()).getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[head.length + bad.length + tail.length];
    System.arraycopy(head, 0, out, 0, head.length);
    System.arraycopy(bad, 0, out, head.length, bad.length);
    System.arraycopy(tail, 0, out, head.length + bad.length, tail.length);
    return new Body("invalid UTF-8 in " + field, out, 400);
  }

  private static Arbitrary<Body> broken(JsonObject valid) {
    String text = valid.encode();
    return Arbitraries.of(
        new Body("truncated", text.substring(0, text.length() / 2).getBytes(StandardCharsets.UTF_8), 400),
        new Body("trailing garbage", (text + "xyz").getBytes(StandardCharsets.UTF_8), 400),
        new Body("two documents", (text + text).getBytes(StandardCharsets.UTF_8), 400),
        new Body("single quotes", text.replace('"', '\'').getBytes(StandardCharsets.UTF_8), 400),
        new Body("comment", ("/*x*/" + text).getBytes(StandardCharsets.UTF_8), 400),
        new Body("empty", new byte[0], 400),
        new Body("whitespace", "   \n".getBytes(StandardCharsets.UTF_8), 400),
        new Body("NUL bytes", new byte[] {0, 0, 0}, 400));
  }

  private static Arbitrary<Body> wrongTypeOfWhole() {
    return anyJson(2).filter(v -> !(v instanceof JsonObject))
        .map(v -> new Body("not an object", encode(v).getBytes(StandardCharsets.UTF_8), 400));
  }

  private static String encode(Object value) {
    if (value instanceof JsonObject o) {
      return o.encode();
    }
    if (value instanceof JsonArray a) {
      return a.encode();
    }
    return new JsonArray().add(value).encode().replaceAll("^\\[|]$", "");
  }
}
