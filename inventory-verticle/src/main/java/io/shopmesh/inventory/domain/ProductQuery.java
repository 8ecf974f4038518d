package io.shopmesh.inventory.domain;

import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.errors.ProblemException.FieldError;

import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One page request of the catalog: an optional search text (matched case-insensitively as a
 * substring of name or description), where the previous page ended, and how many products to
 * return ({@value #DEFAULT_LIMIT} by default, larger values are capped at {@value #MAX_LIMIT}).
 */
public record ProductQuery(Optional<String> text, Optional<PageCursor> after, int limit) {

  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;
  public static final int TEXT_MAX = 100;
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");

  /** From the raw query parameters (each may be null); fails with a 400 naming the parameter. */
  public static ProductQuery of(String q, String cursor, String limit) {
    return new ProductQuery(text(q), cursor(cursor), limit(limit));
  }

  /** The search text as an ILIKE pattern: {@code %}, {@code _} and {@code \} match themselves. */
  public Optional<String> likePattern() {
    return text.map(t -> "%" + t.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
  }

  private static Optional<String> text(String q) {
    if (q == null || q.isBlank()) {
      return Optional.empty();
    }
    String stripped = q.strip();
    if (stripped.codePointCount(0, stripped.length()) > TEXT_MAX) {
      throw invalid("q", "must be at most " + TEXT_MAX + " characters");
    }
    if (CONTROL.matcher(stripped).find()) {
      throw invalid("q", "must not contain control characters");
    }
    return Optional.of(stripped);
  }

  private static Optional<PageCursor> cursor(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(PageCursor.decode(cursor));
    } catch (IllegalArgumentException e) {
      throw invalid("cursor", "must be the nextCursor of a previous page");
    }
  }

  private static int limit(String limit) {
    if (limit == null || limit.isEmpty()) {
      return DEFAULT_LIMIT;
    }
    try {
      int value = Integer.parseInt(limit);
      if (value >= 1) {
        return Math.min(value, MAX_LIMIT);
      }
    } catch (NumberFormatException e) {
      if (limit.matches("\\d{1,32}")) {
        return MAX_LIMIT;
      }
    }
    throw invalid("limit", "must be a positive integer (at most " + MAX_LIMIT + " are returned)");
  }

  private static ProblemException invalid(String field, String message) {
    return ProblemException.invalidFields(List.of(new FieldError(field, message)));
  }
}
