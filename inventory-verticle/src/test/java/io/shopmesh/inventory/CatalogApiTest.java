package io.shopmesh.inventory;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The catalog API as a client sees it: statuses, validation, access rules, paging and search. */
@ExtendWith(InfraExtension.class)
class CatalogApiTest {

  private static final AtomicInteger SEQUENCE = new AtomicInteger();
  private static InventoryFixture inventory;

  @BeforeAll
  static void start(TestEnv env) {
    inventory = InventoryFixture.start(env);
  }

  @AfterAll
  static void stop() {
    inventory.close();
  }

  /** A sku no other test used, starting with {@code prefix}. */
  private static String sku(String prefix) {
    return prefix + "-" + SEQUENCE.incrementAndGet();
  }

  private static JsonObject product(String sku) {
    return new JsonObject().put("sku", sku).put("name", "Mug " + sku).put("description", "A sturdy mug")
        .put("priceCents", 1299).put("currency", "EUR").put("stock", 5);
  }

  private static HttpResponse<Buffer> post(String path, JsonObject body, String token) {
    return inventory.send(HttpMethod.POST, path, body, token);
  }

  private static void assertProblem(HttpResponse<Buffer> response, int status, String detailPart) {
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(status);
    assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    assertThat(response.bodyAsJsonObject().getString("detail")).contains(detailPart);
  }

  @Test
  @DisplayName("an admin creates a product (201 with Location), anyone reads it, and a second create of its sku is 409")
  void createAndRead() {
    String sku = sku("MUG");
    HttpResponse<Buffer> created = post("/api/products", product(sku), inventory.adminToken());
    assertThat(created.statusCode()).as(created.bodyAsString()).isEqualTo(201);
    assertThat(created.getHeader("Location")).isEqualTo("/api/products/" + sku);
    JsonObject expected = new JsonObject().put("sku", sku).put("name", "Mug " + sku).put("description", "A sturdy mug")
        .put("priceCents", 1299).put("currency", "EUR").put("available", 5);
    assertThat(created.bodyAsJsonObject()).isEqualTo(expected);

    HttpResponse<Buffer> read = inventory.get("/api/products/" + sku);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.bodyAsJsonObject()).isEqualTo(expected);

    assertProblem(post("/api/products", product(sku), inventory.adminToken()), 409, "already exists");
    assertProblem(inventory.get("/api/products/NO-SUCH-SKU"), 404, "no product with sku NO-SUCH-SKU");
    assertProblem(inventory.get("/api/products/not%20a%20sku"), 404, "no product");
  }

  @Test
  @DisplayName("a create with a negative price or stock, a bad sku, an unknown currency or an unknown field is 400 "
      + "and creates nothing")
  void validation() {
    String admin = inventory.adminToken();
    String sku = sku("BAD");
    assertProblem(post("/api/products", product(sku).put("priceCents", -1), admin), 400, "priceCents");
    assertProblem(post("/api/products", product(sku).put("stock", -1), admin), 400, "stock");
    assertProblem(post("/api/products", product(sku).put("currency", "XYZ"), admin), 400, "currency");
    assertProblem(post("/api/products", product("lower-case"), admin), 400, "sku");
    assertProblem(post("/api/products", product(sku).put("available", 99), admin), 400, "unknown field 'available'");
    assertProblem(post("/api/products", product(sku).put("priceCents", 12.5), admin), 400, "priceCents");
    assertProblem(post("/api/products", product(sku).put("priceCents", "1299"), admin), 400, "priceCents");
    HttpResponse<Buffer> several = post("/api/products", product(sku).put("priceCents", -1).put("currency", "XYZ"),
        admin);
    assertThat(several.bodyAsJsonObject().getJsonArray("errors")).hasSize(2);
    assertThat(inventory.get("/api/products/" + sku).statusCode()).isEqualTo(404);
  }

  @Test
  @DisplayName("writes need a token (401) with the admin role (403), while reads are public")
  void access() {
    String sku = sku("AUTH");
    assertProblem(post("/api/products", product(sku), null), 401, "access token");
    assertProblem(post("/api/products", product(sku), inventory.customerToken()), 403, "admin");
    assertProblem(post("/api/products", product(sku), "not.a.token"), 401, "not valid");
    inventory.create(product(sku));
    JsonObject details = new JsonObject().put("name", "n").put("description", "d").put("priceCents", 1)
        .put("currency", "EUR");
    assertThat(inventory.send(HttpMethod.PUT, "/api/products/" + sku, details, null).statusCode()).isEqualTo(401);
    assertThat(inventory.send(HttpMethod.PUT, "/api/products/" + sku, details, inventory.customerToken())
        .statusCode()).isEqualTo(403);
    assertThat(post("/api/products/" + sku + "/restock", new JsonObject().put("quantity", 1),
        inventory.customerToken()).statusCode()).isEqualTo(403);
    assertThat(inventory.get("/api/imports/" + java.util.UUID.randomUUID(), inventory.customerToken()).statusCode())
        .isEqualTo(403);
    assertThat(inventory.get("/admin/dlq/orders.events", inventory.customerToken()).statusCode()).isEqualTo(403);
    HttpResponse<Buffer> spoofed = inventory.request(HttpMethod.POST, "/api/products")
        .putHeader("X-User-Id", "admin-1").putHeader("X-User-Roles", "admin").sendJsonObject(product(sku("SPOOF")))
        .await();
    assertThat(spoofed.statusCode()).as("identity headers are never trusted").isEqualTo(401);
    assertThat(inventory.get("/api/products/" + sku).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("PUT replaces name, description and price (200, 404 for an unknown sku) but never stock")
  void update() {
    String sku = sku("UPD");
    inventory.create(product(sku));
    JsonObject details = new JsonObject().put("name", "Big mug").put("description", "Now bigger")
        .put("priceCents", 1599).put("currency", "CHF");
    HttpResponse<Buffer> updated = inventory.send(HttpMethod.PUT, "/api/products/" + sku, details,
        inventory.adminToken());
    assertThat(updated.statusCode()).as(updated.bodyAsString()).isEqualTo(200);
    assertThat(updated.bodyAsJsonObject()).isEqualTo(details.copy().put("sku", sku).put("available", 5));
    assertProblem(inventory.send(HttpMethod.PUT, "/api/products/" + sku, details.copy().put("stock", 1),
        inventory.adminToken()), 400, "unknown field 'stock'");
    assertProblem(inventory.send(HttpMethod.PUT, "/api/products/NOPE-1", details, inventory.adminToken()), 404,
        "NOPE-1");
    assertProblem(inventory.send(HttpMethod.PUT, "/api/products/" + sku, details.copy().put("priceCents", -5),
        inventory.adminToken()), 400, "priceCents");
  }

  @Test
  @DisplayName("a restock answers the new availability, refuses quantities below 1, and every change is in the "
      + "ledger and the outbox")
  void restock() {
    String sku = sku("RST");
    inventory.create(product(sku));
    assertThat(inventory.restock(sku, 7)).isEqualTo(12);
    assertProblem(post("/api/products/" + sku + "/restock", new JsonObject().put("quantity", 0),
        inventory.adminToken()), 400, "quantity");
    assertProblem(post("/api/products/" + sku + "/restock", new JsonObject().put("quantity", -3),
        inventory.adminToken()), 400, "quantity");
    assertProblem(post("/api/products/NOPE-2/restock", new JsonObject().put("quantity", 1), inventory.adminToken()),
        404, "NOPE-2");
    assertProblem(post("/api/products/" + sku + "/restock", new JsonObject().put("quantity", 1_000_000_000),
        inventory.adminToken()), 409, "beyond");
    inventory.send(HttpMethod.PUT, "/api/products/" + sku, new JsonObject().put("name", "n").put("description", "")
        .put("priceCents", 1).put("currency", "EUR"), inventory.adminToken());

    assertThat(inventory.query("SELECT kind, delta, reference FROM stock_ledger WHERE sku = $1 ORDER BY id", sku))
        .extracting(r -> r.getString("kind") + " " + r.getInteger("delta") + " " + r.getString("reference"))
        .containsExactly("INITIAL 5 admin-1", "RESTOCK 7 admin-1");
    assertThat(inventory.query("SELECT envelope FROM outbox WHERE aggregate_id = $1 ORDER BY seq", sku))
        .extracting(r -> new JsonObject(r.getString("envelope")))
        .allSatisfy(e -> assertThat(e.getString("type")).isEqualTo("ProductUpserted"))
        .extracting(e -> e.getJsonObject("payload").getInteger("available") + " " + e.getJsonObject("payload")
            .getString("name"))
        .containsExactly("5 Mug " + sku, "12 Mug " + sku, "12 n");
  }

  @Test
  @DisplayName("paging by cursor sees every product that existed once, in sku order, while products are added "
      + "before and after the cursor")
  void pagingIsStable() {
    String prefix = "PG" + SEQUENCE.incrementAndGet();
    List<String> existing = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      String sku = String.format("%s-%03d", prefix, i * 10);
      inventory.create(product(sku));
      existing.add(sku);
    }
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int page = 0;
    do {
      // between pages, products appear both behind and ahead of the reader
      inventory.create(product(String.format("%s-%03d", prefix, page * 70 + 5)));
      inventory.create(product(String.format("%s-%03d", prefix, page * 70 + 1)));
      String path = "/api/products?q=" + prefix + "&limit=7" + (cursor == null ? "" : "&cursor=" + cursor);
      HttpResponse<Buffer> response = inventory.get(path);
      assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
      JsonObject body = response.bodyAsJsonObject();
      JsonArray items = body.getJsonArray("items");
      assertThat(items.size()).isLessThanOrEqualTo(7);
      items.forEach(item -> seen.add(((JsonObject) item).getString("sku")));
      cursor = body.getString("nextCursor");
      page++;
    } while (cursor != null && page < 100);
    assertThat(seen).as("no product is shown twice").doesNotHaveDuplicates();
    assertThat(seen).as("pages follow sku order").isSorted();
    assertThat(seen).as("no product that existed is skipped").containsAll(existing);
  }

  @Test
  @DisplayName("q finds products by name or description, case-insensitively, with wildcards taken literally")
  void search() {
    String tag = "Zq" + SEQUENCE.incrementAndGet();
    String byName = sku("SRCH");
    String byDescription = sku("SRCH");
    String other = sku("SRCH");
    String percent = sku("SRCH");
    inventory.create(product(byName).put("name", "Espresso cup " + tag));
    inventory.create(product(byDescription).put("description", "for ESPRESSO lovers, " + tag.toUpperCase()));
    inventory.create(product(other).put("name", "Tea pot " + tag));
    inventory.create(product(percent).put("name", "100% cotton " + tag));

    assertThat(skus("/api/products?q=ESPRESSO%20cup%20" + tag)).containsExactly(byName);
    assertThat(skus("/api/products?q=" + tag)).containsExactly(byName, byDescription, other, percent);
    assertThat(skus("/api/products?q=espresso&limit=100")).contains(byName, byDescription).doesNotContain(other);
    assertThat(skus("/api/products?q=100%25%20cotton")).containsExactly(percent);
    assertThat(skus("/api/products?q=0%25%20c")).containsExactly(percent);
    assertThat(skus("/api/products?q=1_0")).isEmpty();
    HttpResponse<Buffer> firstTwo = inventory.get("/api/products?q=" + tag + "&limit=2");
    assertThat(firstTwo.bodyAsJsonObject().getString("nextCursor")).isNotNull();
    assertThat(skus("/api/products?q=" + tag + "&limit=2&cursor=" + firstTwo.bodyAsJsonObject()
        .getString("nextCursor"))).containsExactly(other, percent);
    assertProblem(inventory.get("/api/products?limit=0"), 400, "limit");
    assertProblem(inventory.get("/api/products?cursor=garbage!"), 400, "cursor");
    assertThat(inventory.get("/api/products?limit=500").bodyAsJsonObject().getJsonArray("items").size())
        .isLessThanOrEqualTo(100);
  }

  @Test
  @DisplayName("sku=A&sku=B reads those products at once: the ones that exist, in sku order; bad skus and"
      + " mixing with paging are 400")
  void bySkus() {
    String first = sku("BULKA");
    String second = sku("BULKB");
    inventory.create(product(second));
    inventory.create(product(first));

    HttpResponse<Buffer> both = inventory.get("/api/products?sku=" + second + "&sku=NO-SUCH-SKU&sku=" + first
        + "&sku=" + second);
    assertThat(skus("/api/products?sku=" + second + "&sku=NO-SUCH-SKU&sku=" + first + "&sku=" + second))
        .containsExactly(first, second);
    assertThat(both.bodyAsJsonObject().getJsonArray("items").getJsonObject(0).getString("name"))
        .isEqualTo("Mug " + first);
    assertThat(both.bodyAsJsonObject().containsKey("nextCursor")).isTrue();
    assertThat(both.bodyAsJsonObject().getString("nextCursor")).isNull();
    assertThat(skus("/api/products?sku=NO-SUCH-SKU")).isEmpty();

    assertProblem(inventory.get("/api/products?sku=" + first + "&sku=not%20a%20sku"), 400, "'not a sku' is not a sku");
    assertProblem(inventory.get("/api/products?sku=" + first + "&limit=5"), 400, "limit: cannot be combined with sku");
    assertProblem(inventory.get("/api/products?sku=" + first + "&q=mug"), 400, "q: cannot be combined with sku");
    String many = "sku=" + first + ("&sku=" + first).repeat(50);
    assertProblem(inventory.get("/api/products?" + many), 400, "at most 50 skus");
  }

  private static List<String> skus(String path) {
    HttpResponse<Buffer> response = inventory.get(path);
    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(200);
    Set<String> unique = new HashSet<>();
    List<String> skus = new ArrayList<>();
    response.bodyAsJsonObject().getJsonArray("items").forEach(item -> {
      String sku = ((JsonObject) item).getString("sku");
      skus.add(sku);
      unique.add(sku);
    });
    assertThat(unique).hasSameSizeAs(skus);
    return skus;
  }
}
