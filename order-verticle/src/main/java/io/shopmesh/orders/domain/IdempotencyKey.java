package io.shopmesh.orders.domain;

import io.shopmesh.platform.errors.ProblemException;

import java.util.regex.Pattern;

/** The client's {@code Idempotency-Key}: a retry with the same key and body returns the first answer. */
public record IdempotencyKey(String value) {

  public static final String HEADER = "Idempotency-Key";
  /** Wide enough for UUIDs, ULIDs and the like; narrow enough to log and store safely. */
  private static final Pattern ACCEPTED = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");

  /** The key from the header value; fails with a 400 when it is missing or malformed. */
  public static IdempotencyKey parse(String header) {
    if (header == null || header.isEmpty()) {
      throw ProblemException.badRequest("the " + HEADER + " header is required: send a unique value per order,"
          + " and the same value when retrying it");
    }
    if (!ACCEPTED.matcher(header).matches()) {
      throw ProblemException.badRequest("the " + HEADER + " header must be 1 to 128 characters of A-Z, a-z, 0-9"
          + " and . _ : ~ -");
    }
    return new IdempotencyKey(header);
  }
}
