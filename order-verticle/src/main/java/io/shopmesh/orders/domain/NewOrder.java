package io.shopmesh.orders.domain;

import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.errors.ProblemException.FieldError;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The lines of an order a customer is placing, validated. */
public record NewOrder(List<OrderItem> items) {

  public static final int MAX_LINES = 50;
  public static final int MAX_QUANTITY = 1000;
  public static final Pattern SKU = Pattern.compile("[A-Z0-9][A-Z0-9-]{1,63}");

  public NewOrder {
    items = List.copyOf(items);
  }

  /** Validates every line at once; fails with a 400 listing each offending field. */
  public static NewOrder validate(List<RequestedItem> requested) {
    if (requested == null || requested.isEmpty()) {
      throw invalid(List.of(new FieldError("items", "must hold between 1 and " + MAX_LINES + " lines")));
    }
    if (requested.size() > MAX_LINES) {
      throw invalid(List.of(new FieldError("items", "must hold at most " + MAX_LINES + " lines")));
    }
    List<FieldError> errors = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<OrderItem> items = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      RequestedItem item = requested.get(i);
      String at = "items[" + i + "]";
      if (item == null) {
        errors.add(new FieldError(at, "must be an object with sku and quantity"));
        continue;
      }
      if (item.sku() == null || !SKU.matcher(item.sku()).matches()) {
        errors.add(new FieldError(at + ".sku", "must be 2 to 64 characters of A-Z, 0-9 and '-', not starting with '-'"));
      } else if (!seen.add(item.sku())) {
        errors.add(new FieldError(at + ".sku", "appears on another line; order it once with the total quantity"));
      }
      if (item.quantity() == null || item.quantity() < 1 || item.quantity() > MAX_QUANTITY) {
        errors.add(new FieldError(at + ".quantity", "must be an integer between 1 and " + MAX_QUANTITY));
      }
      if (item.sku() != null && item.quantity() != null) {
        items.add(OrderItem.of(item.sku(), item.quantity()));
      }
    }
    if (!errors.isEmpty()) {
      throw invalid(errors);
    }
    return new NewOrder(items);
  }

  /**
   * SHA-256 (hex) of the order's canonical form: its lines sorted by sku, so two bodies that ask for
   * the same thing (whatever their whitespace, key order or line order) have the same fingerprint.
   */
  public String fingerprint() {
    StringBuilder canonical = new StringBuilder();
    items.stream().sorted(Comparator.comparing(OrderItem::sku))
        .forEach(item -> canonical.append(item.sku()).append('=').append(item.quantity()).append('\n'));
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static ProblemException invalid(List<FieldError> errors) {
    return ProblemException.invalidFields(errors);
  }
}
