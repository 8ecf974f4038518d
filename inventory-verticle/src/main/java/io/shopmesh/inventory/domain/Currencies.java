package io.shopmesh.inventory.domain;

import java.util.Set;
import java.util.TreeSet;

/**
 * The ISO 4217 currencies products may be priced in. Prices are integers in the currency's minor
 * unit as ISO 4217 defines it (cents for EUR, yen for JPY, which has none).
 */
public final class Currencies {

  public static final Set<String> ACCEPTED = Set.of(
      "EUR", "USD", "GBP", "CHF", "JPY", "SEK", "NOK", "DKK", "PLN", "CZK", "CAD", "AUD");

  private Currencies() {
  }

  public static boolean accepted(String code) {
    return code != null && ACCEPTED.contains(code);
  }

  /** The accepted codes, sorted, for error messages. */
  public static String list() {
    return String.join(", ", new TreeSet<>(ACCEPTED));
  }
}
