package io.shopmesh.orders.domain;

import io.shopmesh.platform.paging.PageCursor;
import io.shopmesh.platform.errors.ProblemException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderRequestRulesTest {

  private static RequestedItem item(String sku, Integer quantity) {
    return new RequestedItem(sku, quantity);
  }

  @SuppressWarnings("unchecked")
  private static List<String> fields(Throwable problem) {
    List<Map<String, String>> errors = (List<Map<String, String>>) ((ProblemException) problem).extensions()
        .get("errors");
    return errors.stream().map(e -> e.get("field")).toList();
  }

  @Test
  @DisplayName("an order of 1 to 50 distinct skus with quantities 1 to 1000 is valid")
  void valid() {
    List<RequestedItem> fifty = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      fifty.add(item("SKU-" + i, i % 2 == 0 ? 1 : 1000));
    }

    assertThat(NewOrder.validate(fifty).items()).hasSize(50);
    assertThat(NewOrder.validate(List.of(item("A1", 3))).items()).containsExactly(OrderItem.of("A1", 3));
  }

  @Test
  @DisplayName("no lines, or more than 50, is a 400 about items")
  void lineCount() {
    List<RequestedItem> tooMany = new ArrayList<>();
    for (int i = 0; i < 51; i++) {
      tooMany.add(item("SKU-" + i, 1));
    }

    assertThatThrownBy(() -> NewOrder.validate(List.of())).satisfies(e -> assertThat(fields(e)).containsExactly("items"));
    assertThatThrownBy(() -> NewOrder.validate(null)).satisfies(e -> assertThat(fields(e)).containsExactly("items"));
    assertThatThrownBy(() -> NewOrder.validate(tooMany)).satisfies(e -> assertThat(fields(e)).containsExactly("items"));
  }

  @Test
  @DisplayName("every bad line is reported at once, by its position: sku format, duplicate sku, quantity range")
  void everyErrorReported() {
    List<RequestedItem> items = List.of(item("ok-lowercase", 1), item("SKU-1", 0), item("SKU-1", 2),
        item(null, null), item("SKU-2", 1001));

    assertThatThrownBy(() -> NewOrder.validate(items))
        .isInstanceOf(ProblemException.class)
        .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400))
        .satisfies(e -> assertThat(fields(e)).containsExactly("items[0].sku", "items[1].quantity", "items[2].sku",
            "items[3].sku", "items[3].quantity", "items[4].quantity"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"A", "-ABC", "AB_C", "ÄBC", "ABC ", ""})
  @DisplayName("a sku is 2 to 64 characters of A-Z, 0-9 and '-', not starting with '-'")
  void skuPattern(String sku) {
    assertThatThrownBy(() -> NewOrder.validate(List.of(item(sku, 1)))).isInstanceOf(ProblemException.class);
  }

  @Test
  @DisplayName("the fingerprint ignores line order but not skus or quantities")
  void fingerprint() {
    String ab = NewOrder.validate(List.of(item("A1", 1), item("B1", 2))).fingerprint();

    assertThat(NewOrder.validate(List.of(item("B1", 2), item("A1", 1))).fingerprint()).isEqualTo(ab);
    assertThat(NewOrder.validate(List.of(item("A1", 1), item("B1", 3))).fingerprint()).isNotEqualTo(ab);
    assertThat(NewOrder.validate(List.of(item("A1", 1), item("B2", 2))).fingerprint()).isNotEqualTo(ab);
    assertThat(ab).hasSize(64);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "has space", "semi;colon", "ümlaut"})
  @DisplayName("an Idempotency-Key outside 1 to 128 safe characters is a 400")
  void badKeys(String key) {
    assertThatThrownBy(() -> IdempotencyKey.parse(key)).isInstanceOf(ProblemException.class)
        .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400));
  }

  @Test
  @DisplayName("a missing or 129-character Idempotency-Key is a 400; UUIDs and 128 characters are fine")
  void keyLength() {
    assertThatThrownBy(() -> IdempotencyKey.parse(null)).isInstanceOf(ProblemException.class);
    assertThatThrownBy(() -> IdempotencyKey.parse("k".repeat(129))).isInstanceOf(ProblemException.class);
    assertThat(IdempotencyKey.parse("k".repeat(128)).value()).hasSize(128);
    String uuid = UUID.randomUUID().toString();
    assertThat(IdempotencyKey.parse(uuid).value()).isEqualTo(uuid);
  }

  @Test
  @DisplayName("a page cursor survives its round trip and anything else is refused")
  void cursor() {
    PageCursor cursor = new PageCursor(Instant.parse("2026-11-25T10:00:00.123456789Z"), UUID.randomUUID());

    PageCursor read = PageCursor.decode(cursor.encode());

    assertThat(read).isEqualTo(cursor);
    assertThat(read.createdAt()).isEqualTo(Instant.parse("2026-11-25T10:00:00.123456Z"));
    for (String bad : List.of("nope", "bm9wZQ", "OTk5OTk5OTk5OTk5OTk5OTk5Ojk", "x".repeat(200))) {
      assertThatThrownBy(() -> PageCursor.decode(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
