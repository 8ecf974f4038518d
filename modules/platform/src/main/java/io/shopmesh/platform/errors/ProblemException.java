package io.shopmesh.platform.errors;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A failure the client should see as an RFC 9457 problem. Handlers and domain code fail their
 * futures with a subclass; the shared failure handler turns it into {@code application/problem+json}.
 * Plain Java on purpose: domain packages may throw these without touching Vert.x.
 */
public class ProblemException extends RuntimeException {

  private final int status;
  private final String title;
  private final Duration retryAfter;
  private final Map<String, Object> extensions;

  public ProblemException(int status, String title, String detail) {
    this(status, title, detail, null, Map.of());
  }

  public ProblemException(int status, String title, String detail, Duration retryAfter,
                          Map<String, Object> extensions) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
    this.retryAfter = retryAfter;
    this.extensions = Map.copyOf(extensions);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public String detail() {
    return getMessage();
  }

  /** When set, the response carries {@code Retry-After} in seconds. */
  public Duration retryAfter() {
    return retryAfter;
  }

  /** Extra members of the problem object, e.g. {@code errors} with field-level messages. */
  public Map<String, Object> extensions() {
    return extensions;
  }

  /** 400: the request is malformed or a value is out of range. */
  public static ProblemException badRequest(String detail) {
    return new ProblemException(400, "Bad Request", detail);
  }

  /** 400 with one message per offending field, e.g. {@code {"field": "password", "message": "..."}}. */
  public static ProblemException invalidFields(List<FieldError> errors) {
    String detail = errors.size() == 1 ? errors.get(0).field() + ": " + errors.get(0).message()
        : errors.size() + " fields are invalid";
    return new ProblemException(400, "Bad Request", detail, null,
        Map.of("errors", errors.stream().map(e -> Map.of("field", e.field(), "message", e.message())).toList()));
  }

  public static ProblemException unauthorized(String detail) {
    return new ProblemException(401, "Unauthorized", detail);
  }

  public static ProblemException forbidden(String detail) {
    return new ProblemException(403, "Forbidden", detail);
  }

  public static ProblemException notFound(String detail) {
    return new ProblemException(404, "Not Found", detail);
  }

  public static ProblemException conflict(String detail) {
    return new ProblemException(409, "Conflict", detail);
  }

  public static ProblemException unprocessable(String detail) {
    return new ProblemException(422, "Unprocessable Content", detail);
  }

  public static ProblemException tooManyRequests(String detail, Duration retryAfter) {
    return new ProblemException(429, "Too Many Requests", detail, retryAfter, Map.of());
  }

  public static ProblemException unavailable(String detail, Duration retryAfter) {
    return new ProblemException(503, "Service Unavailable", detail, retryAfter, Map.of());
  }

  /** One offending input field and what is wrong with it. */
  public record FieldError(String field, String message) {
  }
}
