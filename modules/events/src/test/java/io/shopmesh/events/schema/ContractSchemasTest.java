package io.shopmesh.events.schema;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import io.shopmesh.events.DomainEvent;
import io.shopmesh.events.EventCodec;
import io.shopmesh.events.EventType;
import io.shopmesh.events.Topics;
import io.shopmesh.events.contracts.LineRejection;
import io.shopmesh.events.contracts.OrderCancelled;
import io.shopmesh.events.contracts.OrderConfirmed;
import io.shopmesh.events.contracts.OrderLine;
import io.shopmesh.events.contracts.OrderPlaced;
import io.shopmesh.events.contracts.OrderRejected;
import io.shopmesh.events.contracts.PricedLine;
import io.shopmesh.events.contracts.ProductUpserted;
import io.shopmesh.events.contracts.StockRejected;
import io.shopmesh.events.contracts.StockReleased;
import io.shopmesh.events.contracts.StockReserved;
import io.shopmesh.events.contracts.UserRegistered;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputUnit;
import io.vertx.json.schema.Validator;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class ContractSchemasTest {

  /** One realistic payload per contract. */
  private static final List<DomainEvent> SAMPLES = List.of(
      new UserRegistered("u-1", "ada@example.org", "Ada", Instant.parse("2026-11-25T10:00:00.123Z")),
      new OrderPlaced("o-1", "u-1", List.of(new OrderLine("SKU-1", 2)), Instant.parse("2026-11-25T10:00:01Z")),
      new OrderCancelled("o-1", "u-1", OrderCancelled.EXPIRED),
      new OrderConfirmed("o-1", "u-1", List.of(new PricedLine("SKU-1", 2, 1250, "EUR")), 2500, "EUR"),
      new OrderRejected("o-1", "u-1", List.of(new LineRejection("SKU-1", LineRejection.INSUFFICIENT_STOCK,
          "2 requested, 1 available"))),
      new StockReserved("o-1", List.of(new PricedLine("SKU-1", 2, 1250, "EUR"))),
      new StockRejected("o-1", List.of(new LineRejection("SKU-9", LineRejection.UNKNOWN_SKU, null))),
      new StockReleased("o-1", List.of(new OrderLine("SKU-1", 2))),
      new ProductUpserted("SKU-1", "Teapot", null, 1250, "EUR", 7));

  @Test
  @DisplayName("every event contract has a schema for its current version and is compatible with all its versions")
  void contractsMatchTheirSchemas() {
    List<Class<?>> contracts = contracts();
    assertThat(contracts.stream().map(c -> EventCodec.typeOf(c).name()).collect(Collectors.toSet()))
        .contains("UserRegistered", "OrderPlaced", "OrderCancelled", "OrderConfirmed", "OrderRejected",
            "StockReserved", "StockRejected", "StockReleased", "ProductUpserted");
    for (Class<?> contract : contracts) {
      @SuppressWarnings("unchecked")
      Map<Integer, List<String>> result = SchemaCompatibility.check((Class<? extends Record>) contract);
      EventType type = EventCodec.typeOf(contract);
      assertThat(result).as("%s has a schema for version %d", type.name(), type.version()).containsKey(type.version());
      result.forEach((version, violations) -> assertThat(violations)
          .as("%s against %s", contract.getSimpleName(), SchemaCompatibility.resource(type.name(), version)).isEmpty());
      assertThat(Topics.ALL).as("%s names a known topic", type.name()).contains(type.topic());
    }
  }

  @Test
  @DisplayName("removing a field breaks compatibility with the existing schema")
  void removedField() {
    assertThat(SchemaCompatibility.violations(WithoutUserId.class, orderPlacedV1()))
        .containsExactly("$.userId: removed");
    assertThat(SchemaCompatibility.violations(LineWithoutSku.class, orderPlacedV1()))
        .containsExactly("$.lines[].sku: removed");
  }

  @Test
  @DisplayName("changing a field's type breaks compatibility with the existing schema")
  void retypedField() {
    assertThat(SchemaCompatibility.violations(PlacedAtAsNumber.class, orderPlacedV1()))
        .containsExactly("$.placedAt: type changed from string to integer");
    assertThat(SchemaCompatibility.violations(QuantityAsText.class, orderPlacedV1()))
        .containsExactly("$.lines[].quantity: type changed from integer to string");
  }

  @Test
  @DisplayName("adding fields, also in nested records, stays compatible; a new version needs its own schema")
  void addedField() {
    assertThat(SchemaCompatibility.violations(WithCoupon.class, orderPlacedV1())).isEmpty();
    assertThat(SchemaCompatibility.check(OrderPlacedV2.class)).containsExactly(
        Map.entry(1, List.of()), Map.entry(2, List.of("no schema checked in at schemas/OrderPlaced.v2.json")));
  }

  @Test
  @DisplayName("a sample payload of every event type validates against its schema, and a broken one does not")
  void samplesValidate() {
    Set<String> covered = SAMPLES.stream().map(e -> EventCodec.typeOf(e.getClass()).name()).collect(Collectors.toSet());
    assertThat(covered).containsAll(contracts().stream().map(c -> EventCodec.typeOf(c).name()).toList());
    for (DomainEvent sample : SAMPLES) {
      EventType type = EventCodec.typeOf(sample.getClass());
      OutputUnit result = validator(type).validate(EventCodec.toJson(sample));
      assertThat(result.getValid()).as("%s: %s", type.name(), result.getErrors()).isTrue();
    }
    JsonObject broken = EventCodec.toJson(SAMPLES.get(1));
    broken.remove("userId");
    broken.getJsonArray("lines").getJsonObject(0).put("quantity", "two");
    assertThat(validator(EventCodec.typeOf(OrderPlaced.class)).validate(broken).getValid()).isFalse();
  }

  private static Validator validator(EventType type) {
    JsonObject schema = SchemaCompatibility.load(type.name(), type.version());
    return Validator.create(JsonSchema.of(schema),
        new JsonSchemaOptions().setDraft(Draft.DRAFT202012).setBaseUri("urn:shopmesh:event:"));
  }

  private static JsonObject orderPlacedV1() {
    return SchemaCompatibility.load("OrderPlaced", 1);
  }

  private static List<Class<?>> contracts() {
    return new ClassFileImporter().importPackages("io.shopmesh.events.contracts").stream()
        .filter(c -> c.isAnnotatedWith(EventType.class))
        .<Class<?>>map(JavaClass::reflect)
        .filter(Class::isRecord)
        .toList();
  }

  record WithoutUserId(String orderId, List<OrderLine> lines, Instant placedAt) {
  }

  record SkulessLine(int quantity) {
  }

  record LineWithoutSku(String orderId, String userId, List<SkulessLine> lines, Instant placedAt) {
  }

  record PlacedAtAsNumber(String orderId, String userId, List<OrderLine> lines, long placedAt) {
  }

  record TextQuantityLine(String sku, String quantity) {
  }

  record QuantityAsText(String orderId, String userId, List<TextQuantityLine> lines, Instant placedAt) {
  }

  record CouponLine(String sku, int quantity, String giftWrap) {
  }

  record WithCoupon(String orderId, String userId, List<CouponLine> lines, Instant placedAt, String coupon) {
  }

  @EventType(name = "OrderPlaced", version = 2, topic = Topics.ORDERS)
  record OrderPlacedV2(String orderId, String userId, List<OrderLine> lines, Instant placedAt, String channel) {
  }
}
