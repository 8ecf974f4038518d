package io.shopmesh.orders;

import io.shopmesh.testkit.HostileInput;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
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

import java.util.UUID;
import java.util.regex.Pattern;

import static io.shopmesh.testkit.ServiceChecks.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Property tests of every request body, header and query parameter of the orders API with hostile
 * input: each is a clear 4xx problem document (400, 413 for a body over the limit), never a 5xx,
 * and none creates or changes an order.
 */
class OrdersHostileInputTest {

  private static final long BODY_LIMIT = 64 * 1024;
  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:~-]{1,128}");

  private static TestEnv env;
  private static OrdersFixture orders;
  private static String user;
  private static String token;
  private static String pendingOrder;
  /** A customer of its own for {@link #idempotencyKeys}, whose well-formed keys place orders on purpose. */
  private static String keyUser;
  private static String keyToken;

  @BeforeContainer
  static void start() {
    env = TestEnv.standalone();
    // the body limit of conf/orders.yaml (in-process services default to 1 MB)
    orders = OrdersFixture.start(env, new JsonObject().put("http", new JsonObject().put("bodyLimit", "64kb")));
    user = OrdersFixture.newUser();
    token = orders.token(user);
    pendingOrder = orders.placed(token, "SKU-FUZZ", 1);
    keyUser = OrdersFixture.newUser();
    keyToken = orders.token(keyUser);
  }

  @AfterContainer
  static void stop() {
    orders.close();
    env.close();
  }

  @Property(tries = 150)
  @Label("a hostile order body is a 400 problem (413 when over the limit) and creates no order")
  void hostileOrderBodies(@ForAll("orderBodies") HostileInput.Body body) {
    HttpResponse<Buffer> response = orders.place(token, UUID.randomUUID().toString(), Buffer.buffer(body.bytes()));

    assertProblem(response, body.expectedStatus(), body.toString());
    assertUnchanged();
  }

  @Provide
  Arbitrary<HostileInput.Body> orderBodies() {
    JsonObject line = new JsonObject().put("sku", "SKU-A").put("quantity", 2);
    Arbitrary<HostileInput.Body> lines = HostileInput.bodies(line, BODY_LIMIT).map(b -> new HostileInput.Body(
        "items[0]: " + b.description(), wrap("{\"items\":[", b.bytes(), "]}"), b.expectedStatus()));
    return Arbitraries.oneOf(lines, HostileInput.bodies(new JsonObject().put("items", new JsonArray().add(line)),
        BODY_LIMIT));
  }

  @Property(tries = 80)
  @Label("a malformed Idempotency-Key is a 400 and creates no order; a well-formed one places the order")
  void idempotencyKeys(@ForAll("headerValues") String key) {
    long before = ordersOf(keyUser);
    HttpResponse<Buffer> response = orders.place(keyToken, key, OrdersFixture.body("SKU-KEY", 1));

    if (KEY.matcher(key).matches()) {
      assertThat(response.statusCode()).as(key).isEqualTo(202);
    } else {
      assertProblem(response, 400, key);
      assertThat(ordersOf(keyUser)).as("orders after the malformed key %s", key).isEqualTo(before);
    }
  }

  @Provide
  Arbitrary<String> headerValues() {
    return HostileInput.queryValues().filter(v -> v.chars().allMatch(c -> c >= 0x20 && c < 0x7f) && v.length() < 4000);
  }

  @Property(tries = 100)
  @Label("hostile list parameters (status, limit, cursor) are a 200 or a 400 problem (414 when too long), never a 5xx")
  void listParameters(@ForAll("parameterNames") String name, @ForAll("queryValues") String value) {
    HttpResponse<Buffer> response = orders.send(HttpMethod.GET,
        "/api/orders?" + name + "=" + HostileInput.urlValue(value), token);

    assertThat(response.statusCode()).as(name + "=" + value).isIn(200, 400, 414);
    if (response.statusCode() != 200) {
      assertProblem(response, response.statusCode(), name + "=" + value);
    }
  }

  @Provide
  Arbitrary<String> parameterNames() {
    return Arbitraries.of("status", "limit", "cursor");
  }

  @Provide
  Arbitrary<String> queryValues() {
    return HostileInput.queryValues();
  }

  @Property(tries = 60)
  @Label("hostile long-poll parameters (waitFor, timeout) are a 200 or a 400 problem (414 when too long), never a 5xx")
  void longPollParameters(@ForAll("queryValues") String value, @ForAll boolean waitFor) {
    String query = waitFor ? "waitFor=" + HostileInput.urlValue(value) + "&timeout=10ms"
        : "waitFor=PENDING&timeout=" + HostileInput.urlValue(value);
    HttpResponse<Buffer> response = orders.send(HttpMethod.GET, "/api/orders/" + pendingOrder + "?" + query, token);

    assertThat(response.statusCode()).as(query).isIn(200, 400, 414);
    if (response.statusCode() != 200) {
      assertProblem(response, response.statusCode(), query);
    }
  }

  @Property(tries = 60)
  @Label("a hostile order id in the path is a 404 (or 400) problem on every order route, never a 5xx")
  void hostileIds(@ForAll("ids") String id, @ForAll boolean cancel) {
    String path = "/api/orders/" + HostileInput.urlValue(id) + (cancel ? "/cancel" : "");
    HttpResponse<Buffer> response = orders.send(cancel ? HttpMethod.POST : HttpMethod.GET, path, token);

    assertThat(response.statusCode()).as(path).isLessThan(500).isGreaterThanOrEqualTo(400);
    assertThat(response.getHeader("Content-Type")).as(path).isEqualTo("application/problem+json");
    assertUnchanged();
  }

  @Provide
  Arbitrary<String> ids() {
    // an empty or all-dot segment is normalised away and names the list route instead
    return HostileInput.queryValues().filter(v -> !v.replace(".", "").isEmpty());
  }

  @Example
  @Label("a 10 MB order body is refused with 413 and creates nothing")
  void tenMegabytes() {
    HostileInput.Body body = HostileInput.oversized(new JsonObject().put("items", "x"), 10L * 1024 * 1024);
    HttpResponse<Buffer> response = orders.place(token, UUID.randomUUID().toString(), Buffer.buffer(body.bytes()));

    assertProblem(response, 413, "10 MB");
    assertUnchanged();
  }

  @Example
  @Label("an order naming its own status, total or prices (mass assignment) is a 400 that names the field")
  void massAssignment() {
    for (String field : new String[] {"status", "totalCents", "userId", "id"}) {
      JsonObject body = OrdersFixture.body("SKU-A", 1).put(field, field.equals("totalCents") ? 1 : "CONFIRMED");
      HttpResponse<Buffer> response = orders.place(token, UUID.randomUUID().toString(), body);
      assertProblem(response, 400, field);
      assertThat(response.bodyAsJsonObject().getString("detail")).contains(field);
    }
    JsonObject priced = new JsonObject().put("items", new JsonArray().add(new JsonObject().put("sku", "SKU-A")
        .put("quantity", 1).put("unitPriceCents", 1)));
    assertProblem(orders.place(token, UUID.randomUUID().toString(), priced), 400, "unitPriceCents");
    assertUnchanged();
  }

  private static long ordersOf(String userId) {
    return orders.count("SELECT count(*) FROM orders WHERE user_id = $1", userId);
  }

  /** Only the order placed at the start exists, still PENDING, with only its OrderPlaced event. */
  private static void assertUnchanged() {
    assertThat(orders.count("SELECT count(*) FROM orders WHERE user_id = $1 AND id <> $2", user,
        UUID.fromString(pendingOrder))).as("orders created by hostile input").isZero();
    assertThat(orders.order(token, pendingOrder).getString("status")).isEqualTo("PENDING");
    assertThat(orders.outboxTypes(pendingOrder)).containsExactly("OrderPlaced");
  }

  private static byte[] wrap(String head, byte[] middle, String tail) {
    return Buffer.buffer(head).appendBytes(middle).appendString(tail).getBytes();
  }
}
