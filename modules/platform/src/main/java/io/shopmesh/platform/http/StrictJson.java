package io.shopmesh.platform.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.InputCoercionException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.stream.Collectors;

/**
 * Decodes request bodies into records, strictly: invalid UTF-8, the literal {@code null}, unknown
 * fields (mass assignment), duplicate keys, wrong types, numbers out of range, trailing garbage and
 * absurd nesting are all rejected with a 400 whose detail names the offending field. Nothing is
 * coerced: {@code "5"} is not a number and {@code 5} is not a string.
 */
public final class StrictJson {

  private static final int MAX_NESTING = 32;

  private static final ObjectMapper MAPPER = mapper();

  private StrictJson() {
  }

  /** The request body as {@code type}; fails with a 400 or 415 problem. */
  public static <T> T body(RoutingContext ctx, Class<T> type) {
    String contentType = ctx.request().getHeader("Content-Type");
    if (contentType == null || !contentType.toLowerCase().startsWith("application/json")) {
      throw new ProblemException(415, "Unsupported Media Type", "the request body must be application/json");
    }
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ProblemException.badRequest("the request body is empty; a JSON object is expected");
    }
    return decode(body.getBytes(), type);
  }

  /** {@code bytes} as {@code type}; fails with a 400 problem. */
  public static <T> T decode(byte[] bytes, Class<T> type) {
    if (!isUtf8(bytes)) {
      // Jackson decodes overlong forms and encoded surrogates without complaint: the text would be stored mangled
      throw ProblemException.badRequest("the request body is not valid UTF-8");
    }
    try {
      T value = MAPPER.readValue(bytes, type);
      if (value == null) {
        // the literal null: readValue maps it to null rather than failing
        throw ProblemException.badRequest("the request body must be a JSON object, not null");
      }
      return value;
    } catch (IOException e) {
      throw ProblemException.badRequest(describe(e));
    }
  }

  private static boolean isUtf8(byte[] bytes) {
    try {
      StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }

  private static String describe(IOException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown field '" + path(unknown, unknown.getPropertyName()) + "'";
    }
    if (e instanceof ValueInstantiationException invalid && invalid.getCause() instanceof IllegalArgumentException bad) {
      return bad.getMessage();
    }
    if (e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
      return "field '" + path(mismatch, null) + "': expected " + expected(mismatch.getTargetType());
    }
    if (e instanceof MismatchedInputException mismatch) {
      return "the request body must be a JSON " + (Collection.class.isAssignableFrom(
          mismatch.getTargetType() == null ? Object.class : mismatch.getTargetType()) ? "array" : "object");
    }
    if (e instanceof InputCoercionException range) {
      return "field '" + currentName(range) + "': the number is out of range";
    }
    if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof InputCoercionException) {
      return "field '" + path(mapping, null) + "': the number is out of range";
    }
    if (e instanceof StreamConstraintsException) {
      return "the request body is nested too deeply or holds a value that is too long";
    }
    if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof StreamConstraintsException) {
      return "the request body is nested too deeply or holds a value that is too long";
    }
    if (e instanceof JacksonException jackson) {
      return "the request body is not valid JSON: " + jackson.getOriginalMessage();
    }
    return "the request body cannot be read";
  }

  private static String currentName(InputCoercionException e) {
    try {
      return e.getProcessor() == null ? "?" : String.valueOf(e.getProcessor().currentName());
    } catch (IOException unreadable) {
      return "?";
    }
  }

  private static String path(JsonMappingException e, String last) {
    String path = e.getPath().stream()
        .map(ref -> ref.getIndex() >= 0 ? "[" + ref.getIndex() + "]" : "." + ref.getFieldName())
        .collect(Collectors.joining());
    if (last != null && !path.endsWith("." + last)) {
      path = path + "." + last;
    }
    return path.startsWith(".") ? path.substring(1) : path;
  }

  private static String expected(Class<?> type) {
    if (type == null) {
      return "a different value";
    }
    if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
      return "an integer in range";
    }
    if (Number.class.isAssignableFrom(type) || type == double.class) {
      return "a number";
    }
    if (type == boolean.class || type == Boolean.class) {
      return "true or false";
    }
    if (type == String.class) {
      return "a string";
    }
    if (type.isEnum()) {
      return "one of the documented values";
    }
    if (type.isArray() || Collection.class.isAssignableFrom(type)) {
      return "an array";
    }
    return "an object";
  }

  private static ObjectMapper mapper() {
    JsonMapper mapper = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
        .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        .build();
    mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder()
        .maxNestingDepth(MAX_NESTING)
        .maxNumberLength(32)
        .build());
    mapper.coercionConfigFor(LogicalType.Textual)
        .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
    mapper.coercionConfigFor(LogicalType.Integer)
        .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.String, CoercionAction.Fail)
        .setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail);
    return mapper;
  }
}
