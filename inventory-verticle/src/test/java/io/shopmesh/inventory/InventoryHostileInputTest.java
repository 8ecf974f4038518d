package io.shopmesh.inventory;

import io.shopmesh.testkit.HostileInput;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.shopmesh.testkit.ServiceChecks.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of every request body and query parameter of the inventory API with hostile
 * input: each is a clear 4xx problem document (400, 413 over the body limit), never a 5xx, and none
 * changes the catalog, the stock or its ledger. Text that is valid but hostile (SQL, markup, header
 * injection, unicode edge cases) is stored and returned verbatim, never interpreted.
 */
class InventoryHostileInputTest {

  private static final long BODY_LIMIT = 64 * 1024;
  private static final String SKU = "FUZZ-TARGET";

  private static TestEnv env;
  private static InventoryFixture inventory;
  private static String admin;

  @BeforeContainer
  static void start() {
    env = TestEnv.standalone();
    // the body limit of conf/inventory.yaml (in-process services default to 1 MB)
    inventory = InventoryFixture.start(env, new JsonObject().put("http", new JsonObject().put("bodyLimit", "64kb")));
    admin = inventory.adminToken();
    inventory.create(SKU, "Fuzz target", 500, "EUR", 10);
  }

  @AfterContainer
  static void stop() {
    inventory.close();
    env.close();
  }

  @Property(tries = 120)
  @Label("a hostile product body is a 400 problem (413 over the limit) on create, replace and restock, and changes"
      + " nothing")
  void hostileBodies(@ForAll("writes") Write write) {
    String before = state();
    HttpResponse<Buffer> response = inventory.request(write.method(), write.path()).bearerTokenAuthentication(admin)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(write.body().bytes())).await();

    assertProblem(response, write.body().expectedStatus(), write.toString());
    assertThat(state()).as("catalog, stock and ledger after %s", write).isEqualTo(before);
  }

  record Write(HttpMethod method, String path, HostileInput.Body body) {
  }

  @Provide
  Arbitrary<Write> writes() {
    JsonObject create = new JsonObject().put("sku", "FUZZ-NEW").put("name", "New").put("description", "d")
        .put("priceCents", 100).put("currency", "EUR").put("stock", 5);
    JsonObject replace = new JsonObject().put("name", "Renamed").put("description", "d").put("priceCents", 100)
        .put("currency", "EUR");
    JsonObject restock = new JsonObject().put("quantity", 3);
    return Arbitraries.oneOf(
        HostileInput.bodies(create, BODY_LIMIT).map(b -> new Write(HttpMethod.POST, "/api/products", b)),
        HostileInput.bodies(replace, BODY_LIMIT).map(b -> new Write(HttpMethod.PUT, "/api/products/" + SKU, b)),
        HostileInput.bodies(restock, BODY_LIMIT).map(b -> new Write(HttpMethod.POST,
            "/api/products/" + SKU + "/restock", b)));
  }

  @Property(tries = 100)
  @Label("hostile catalog query parameters (q, cursor, limit) are a 200 or a 400 problem (414 when too long),"
      + " never a 5xx")
  void listParameters(@ForAll("parameterNames") String name, @ForAll("queryValues") String value) {
    HttpResponse<Buffer> response = inventory.get("/api/products?" + name + "=" + HostileInput.urlValue(value));

    assertThat(response.statusCode()).as(name + "=" + value).isIn(200, 400, 414);
    if (response.statusCode() != 200) {
      assertProblem(response, response.statusCode(), name + "=" + value);
    }
  }

  @Provide
  Arbitrary<String> parameterNames() {
    return Arbitraries.of("q", "cursor", "limit");
  }

  @Provide
  Arbitrary<String> queryValues() {
    return HostileInput.queryValues();
  }

  @Property(tries = 60)
  @Label("a hostile sku or import id in the path is a 4xx problem, never a 5xx, and changes nothing")
  void hostilePathIds(@ForAll("ids") String id, @ForAll("pathTemplates") String template) {
    String before = state();
    String path = template.replace("{}", HostileInput.urlValue(id));
    HttpMethod method = template.endsWith("restock") ? HttpMethod.POST
        : template.startsWith("/api/imports") ? HttpMethod.GET : HttpMethod.PUT;
    HttpResponse<Buffer> response = inventory.request(method, path).bearerTokenAuthentication(admin)
        .sendJsonObject(method == HttpMethod.PUT ? new JsonObject().put("name", "n").put("priceCents", 1)
            .put("currency", "EUR") : new JsonObject().put("quantity", 1)).await();

    assertThat(response.statusCode()).as(path).isBetween(400, 499);
    assertThat(state()).isEqualTo(before);
  }

  @Provide
  Arbitrary<String> ids() {
    return HostileInput.queryValues().filter(v -> !v.replace(".", "").isEmpty());
  }

  @Provide
  Arbitrary<String> pathTemplates() {
    return Arbitraries.of("/api/products/{}", "/api/products/{}/restock", "/api/imports/{}");
  }

  @Example
  @Label("a 10 MB product body is refused with 413 and creates nothing")
  void tenMegabytes() {
    String before = state();
    HostileInput.Body body = HostileInput.oversized(new JsonObject().put("description", "x"), 10L * 1024 * 1024);
    HttpResponse<Buffer> response = inventory.request(HttpMethod.POST, "/api/products").bearerTokenAuthentication(admin)
        .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(body.bytes())).await();

    assertProblem(response, 413, "10 MB");
    assertThat(state()).isEqualTo(before);
  }

  @Example
  @Label("stock and availability cannot be set through a product replace, nor a price through a restock")
  void massAssignment() {
    String before = state();
    for (String field : List.of("stock", "available", "sku")) {
      HttpResponse<Buffer> replace = inventory.send(HttpMethod.PUT, "/api/products/" + SKU, new JsonObject()
          .put("name", "n").put("priceCents", 1).put("currency", "EUR").put(field, 1_000_000), admin);
      assertProblem(replace, 400, field);
      assertThat(replace.bodyAsJsonObject().getString("detail")).contains(field);
    }
    HttpResponse<Buffer> restock = inventory.send(HttpMethod.POST, "/api/products/" + SKU + "/restock",
        new JsonObject().put("quantity", 1).put("priceCents", 0), admin);
    assertProblem(restock, 400, "priceCents");
    assertThat(state()).isEqualTo(before);
  }

  @Example
  @Label("SQL, markup and header injection strings are stored and returned verbatim, never executed")
  void injectionStoredVerbatim() {
    long productsBefore = inventory.count("SELECT count(*) FROM products");
    int n = 0;
    for (String hostile : List.of("'; DROP TABLE products; --", "Robert'); DELETE FROM stock_ledger; --",
        "\" OR \"1\"=\"1", "%' OR 1=1 --", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}",
        "\\x27 UNION SELECT password_hash FROM users --")) {
      String sku = "INJ-" + (++n);
      String description = hostile + "\r\nSet-Cookie: session=stolen\r\nX-Injected: yes";
      JsonObject created = inventory.create(new JsonObject().put("sku", sku).put("name", hostile)
          .put("description", description).put("priceCents", 1).put("currency", "EUR").put("stock", 1));
      assertThat(created.getString("name")).isEqualTo(hostile);

      HttpResponse<Buffer> read = inventory.get("/api/products/" + sku);
      assertThat(read.bodyAsJsonObject().getString("name")).isEqualTo(hostile);
      assertThat(read.bodyAsJsonObject().getString("description")).isEqualTo(description);
      assertThat(read.headers().names()).as("no header injected").doesNotContain("Set-Cookie", "X-Injected");
      HttpResponse<Buffer> search = inventory.get("/api/products?q=" + URLEncoder.encode(hostile,
          StandardCharsets.UTF_8));
      assertThat(search.statusCode()).as("search for %s", hostile).isEqualTo(200);
      assertThat(search.bodyAsJsonObject().getJsonArray("items").stream()
          .map(o -> ((JsonObject) o).getString("sku"))).contains(sku);
    }
    assertThat(inventory.count("SELECT count(*) FROM products")).isEqualTo(productsBefore + n);
    assertThat(inventory.count("SELECT count(*) FROM stock_balance WHERE NOT balanced")).isZero();
  }

  /** Everything a write could change: products, the ledger and import jobs. */
  private static String state() {
    return inventory.query("SELECT (SELECT count(*) FROM products) || '/' || (SELECT string_agg(sku || ':' || name"
        + " || ':' || price_cents || ':' || available, ',' ORDER BY sku) FROM products WHERE sku LIKE 'FUZZ%') || '/'"
        + " || (SELECT count(*) FROM stock_ledger) || '/' || (SELECT count(*) FROM import_jobs)").get(0).getString(0);
  }
}
