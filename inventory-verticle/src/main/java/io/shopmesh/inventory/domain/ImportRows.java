package io.shopmesh.inventory.domain;

import io.shopmesh.platform.errors.ProblemException.FieldError;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Turns the rows of an import file into products or line-numbered errors, with the same rules as
 * the JSON API ({@link ProductRules}). Text fields are trimmed; numbers must be plain integers.
 */
public final class ImportRows {

  /** The CSV columns, in any order, each exactly once. */
  public static final List<String> COLUMNS = List.of("sku", "name", "description", "priceCents", "currency", "stock");

  private static final Pattern INTEGER = Pattern.compile("-?\\d{1,40}");

  private ImportRows() {
  }

  /** A row whose values are already typed (NDJSON). */
  public static RowOutcome of(long line, String sku, String name, String description, Long priceCents,
                              String currency, Integer stock) {
    List<FieldError> errors = ProductRules.newProductErrors(sku, name, description, priceCents, currency, stock);
    if (!errors.isEmpty()) {
      return new RowError(line, describe(errors));
    }
    return new ImportRow(line, ProductRules.newProduct(sku, name, description, priceCents, currency, stock));
  }

  /** A CSV row: {@code fields} in the order of {@link #COLUMNS}. */
  public static RowOutcome ofText(long line, List<String> fields) {
    List<FieldError> errors = new ArrayList<>();
    Long price = integer("priceCents", fields.get(3).strip(), Long.MIN_VALUE, Long.MAX_VALUE, errors);
    // within int's range before it is narrowed: -4294967196 must not become 100
    Long stock = integer("stock", fields.get(5).strip(), Integer.MIN_VALUE, Integer.MAX_VALUE, errors);
    String sku = fields.get(0).strip();
    String name = fields.get(1).strip();
    String description = fields.get(2).strip();
    String currency = fields.get(4).strip();
    List<FieldError> rules = ProductRules.newProductErrors(sku, name, description, price == null ? 0L : price,
        currency, stock == null ? 0 : stock.intValue());
    errors.addAll(rules);
    if (!errors.isEmpty()) {
      return new RowError(line, describe(errors));
    }
    return new ImportRow(line, ProductRules.newProduct(sku, name, description, price, currency, stock.intValue()));
  }

  /** {@code sku: must match ...; priceCents: ...}. */
  public static String describe(List<FieldError> errors) {
    return errors.stream().map(e -> e.field() + ": " + e.message()).collect(Collectors.joining("; "));
  }

  private static Long integer(String field, String text, long min, long max, List<FieldError> errors) {
    if (text.isEmpty()) {
      errors.add(new FieldError(field, "is required"));
      return null;
    }
    if (!INTEGER.matcher(text).matches()) {
      errors.add(new FieldError(field, "must be an integer, got '" + abbreviate(text) + "'"));
      return null;
    }
    try {
      long value = Long.parseLong(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    errors.add(new FieldError(field, "is out of range"));
    return null;
  }

  private static String abbreviate(String text) {
    return text.length() <= 20 ? text : text.substring(0, 20) + "...";
  }
}
