package io.shopmesh.inventory.domain;

import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.errors.ProblemException.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a valid product looks like, for the JSON API and for imports alike.
 *
 * <ul>
 *   <li>{@code sku}: 2 to 64 characters, upper-case ASCII letters, digits and {@code -}, not
 *       starting with {@code -} ({@value #SKU_PATTERN})</li>
 *   <li>{@code name}: 1 to {@value #NAME_MAX} characters after trimming, no control characters</li>
 *   <li>{@code description}: up to {@value #DESCRIPTION_MAX} characters (absent means empty)</li>
 *   <li>{@code priceCents}: 0 to {@value #PRICE_MAX}, in the currency's minor unit</li>
 *   <li>{@code currency}: one of {@link Currencies#ACCEPTED}</li>
 *   <li>{@code stock} and restock {@code quantity}: 0 (restock: 1) to {@value #STOCK_MAX}</li>
 * </ul>
 */
public final class ProductRules {

  public static final String SKU_PATTERN = "[A-Z0-9][A-Z0-9-]{1,63}";
  public static final int NAME_MAX = 200;
  public static final int DESCRIPTION_MAX = 4000;
  public static final long PRICE_MAX = 10_000_000_000L;
  public static final int STOCK_MAX = 1_000_000_000;

  private static final Pattern SKU = Pattern.compile(SKU_PATTERN);
  private static final Pattern CONTROL = Pattern.compile("\\p{Cntrl}");
  private static final Pattern CONTROL_EXCEPT_LINE_BREAKS = Pattern.compile("[\\p{Cntrl}&&[^\\n\\r\\t]]");

  private ProductRules() {
  }

  /** A valid new product, or a 400 listing every offending field. */
  public static NewProduct newProduct(String sku, String name, String description, Long priceCents, String currency,
                                      Integer stock) {
    List<FieldError> errors = newProductErrors(sku, name, description, priceCents, currency, stock);
    if (!errors.isEmpty()) {
      throw ProblemException.invalidFields(errors);
    }
    return new NewProduct(sku, name.strip(), description == null ? "" : description.strip(), priceCents, currency,
        stock);
  }

  /** Every reason why these fields do not make a new product; empty when they do. */
  public static List<FieldError> newProductErrors(String sku, String name, String description, Long priceCents,
                                                  String currency, Integer stock) {
    List<FieldError> errors = new ArrayList<>();
    skuError(sku).ifPresent(errors::add);
    errors.addAll(detailErrors(name, description, priceCents, currency));
    quantityError("stock", stock, 0).ifPresent(errors::add);
    return errors;
  }

  /** Valid replacement details, or a 400 listing every offending field. */
  public static ProductDetails details(String name, String description, Long priceCents, String currency) {
    List<FieldError> errors = detailErrors(name, description, priceCents, currency);
    if (!errors.isEmpty()) {
      throw ProblemException.invalidFields(errors);
    }
    return new ProductDetails(name.strip(), description == null ? "" : description.strip(), priceCents, currency);
  }

  /** A valid restock quantity (at least 1), or a 400. */
  public static int restockQuantity(Integer quantity) {
    quantityError("quantity", quantity, 1).ifPresent(error -> {
      throw ProblemException.invalidFields(List.of(error));
    });
    return quantity;
  }

  public static boolean validSku(String sku) {
    return sku != null && SKU.matcher(sku).matches();
  }

  static Optional<FieldError> skuError(String sku) {
    if (sku == null || sku.isEmpty()) {
      return error("sku", "is required");
    }
    if (!validSku(sku)) {
      return error("sku", "must match " + SKU_PATTERN + " (2 to 64 upper-case letters, digits or '-')");
    }
    return Optional.empty();
  }

  private static List<FieldError> detailErrors(String name, String description, Long priceCents, String currency) {
    List<FieldError> errors = new ArrayList<>();
    nameError(name).ifPresent(errors::add);
    descriptionError(description).ifPresent(errors::add);
    priceError(priceCents).ifPresent(errors::add);
    currencyError(currency).ifPresent(errors::add);
    return errors;
  }

  private static Optional<FieldError> nameError(String name) {
    if (name == null || name.isBlank()) {
      return error("name", "is required");
    }
    String stripped = name.strip();
    if (stripped.codePointCount(0, stripped.length()) > NAME_MAX) {
      return error("name", "must be at most " + NAME_MAX + " characters");
    }
    if (CONTROL.matcher(stripped).find()) {
      return error("name", "must not contain control characters");
    }
    return Optional.empty();
  }

  private static Optional<FieldError> descriptionError(String description) {
    if (description == null) {
      return Optional.empty();
    }
    String stripped = description.strip();
    if (stripped.codePointCount(0, stripped.length()) > DESCRIPTION_MAX) {
      return error("description", "must be at most " + DESCRIPTION_MAX + " characters");
    }
    if (CONTROL_EXCEPT_LINE_BREAKS.matcher(stripped).find()) {
      return error("description", "must not contain control characters other than line breaks and tabs");
    }
    return Optional.empty();
  }

  private static Optional<FieldError> priceError(Long priceCents) {
    if (priceCents == null) {
      return error("priceCents", "is required");
    }
    if (priceCents < 0 || priceCents > PRICE_MAX) {
      return error("priceCents", "must be an integer between 0 and " + PRICE_MAX);
    }
    return Optional.empty();
  }

  private static Optional<FieldError> currencyError(String currency) {
    if (currency == null || currency.isEmpty()) {
      return error("currency", "is required");
    }
    if (!Currencies.accepted(currency)) {
      return error("currency", "must be one of " + Currencies.list());
    }
    return Optional.empty();
  }

  private static Optional<FieldError> quantityError(String field, Integer quantity, int min) {
    if (quantity == null) {
      return error(field, "is required");
    }
    if (quantity < min || quantity > STOCK_MAX) {
      return error(field, "must be an integer between " + min + " and " + STOCK_MAX);
    }
    return Optional.empty();
  }

  private static Optional<FieldError> error(String field, String message) {
    return Optional.of(new FieldError(field, message));
  }
}
