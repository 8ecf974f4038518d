package io.shopmesh.inventory.domain;

import io.shopmesh.platform.errors.ProblemException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductRulesTest {

  @Test
  @DisplayName("a valid product is trimmed and a missing description becomes empty")
  void valid() {
    NewProduct p = ProductRules.newProduct("MUG-01", "  Mug ", null, 1299L, "EUR", 5);
    assertThat(p).isEqualTo(new NewProduct("MUG-01", "Mug", "", 1299, "EUR", 5));
  }

  @Test
  @DisplayName("every offending field is reported at once")
  void allErrors() {
    assertThatThrownBy(() -> ProductRules.newProduct("mug", "", "x", -1L, "XYZ", -2))
        .isInstanceOfSatisfying(ProblemException.class, e -> {
          assertThat(e.status()).isEqualTo(400);
          @SuppressWarnings("unchecked")
          List<Map<String, String>> errors = (List<Map<String, String>>) e.extensions().get("errors");
          assertThat(errors).extracting(m -> m.get("field"))
              .containsExactly("sku", "name", "priceCents", "currency", "stock");
        });
  }

  @Test
  @DisplayName("skus are 2 to 64 upper-case letters, digits or dashes, not starting with a dash")
  void skus() {
    assertThat(ProductRules.validSku("A1")).isTrue();
    assertThat(ProductRules.validSku("SKU-2026-RED")).isTrue();
    assertThat(ProductRules.validSku("A".repeat(64))).isTrue();
    assertThat(ProductRules.validSku("A".repeat(65))).isFalse();
    assertThat(ProductRules.validSku("A")).isFalse();
    assertThat(ProductRules.validSku("-A1")).isFalse();
    assertThat(ProductRules.validSku("a1")).isFalse();
    assertThat(ProductRules.validSku("A 1")).isFalse();
    assertThat(ProductRules.validSku("A_1")).isFalse();
  }

  @Test
  @DisplayName("a restock adds at least one item")
  void restock() {
    assertThat(ProductRules.restockQuantity(3)).isEqualTo(3);
    assertThatThrownBy(() -> ProductRules.restockQuantity(0)).isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> ProductRules.restockQuantity(null)).isInstanceOf(ProblemException.class);
  }

  @Test
  @DisplayName("a CSV row's numbers must be plain integers and its errors name every field")
  void importText() {
    assertThat(ImportRows.ofText(7, List.of("A1", "Mug", "", "1299", "EUR", "4")))
        .isEqualTo(new ImportRow(7, new NewProduct("A1", "Mug", "", 1299, "EUR", 4)));
    assertThat(ImportRows.ofText(8, List.of("A1", "Mug", "", "12.99", "EUR", "")))
        .isEqualTo(new RowError(8, "priceCents: must be an integer, got '12.99'; stock: is required"));
    assertThat(ImportRows.ofText(9, List.of("A1", "Mug", "", "99999999999999999999", "EUR", "3000000000")))
        .isEqualTo(new RowError(9, "priceCents: is out of range; stock: is out of range"));
    // below int's range: narrowed, -4294967196 would have become a valid stock of 100
    assertThat(ImportRows.ofText(10, List.of("A1", "Mug", "", "1299", "EUR", "-4294967196")))
        .isEqualTo(new RowError(10, "stock: is out of range"));
  }
}
