package io.shopmesh.orders.store;

import io.shopmesh.orders.domain.Order;
import io.shopmesh.orders.domain.OrderItem;
import io.shopmesh.orders.domain.OrderPage;
import io.shopmesh.orders.domain.OrderStateMachine;
import io.shopmesh.orders.domain.OrderStatus;
import io.shopmesh.platform.paging.PageCursor;
import io.shopmesh.orders.domain.Rejection;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The {@code orders} and {@code order_lines} tables. Every method runs on the client it is given. */
public final class OrderRepository {

  private static final String COLUMNS = "o.id, o.user_id, o.status, o.total_cents, o.currency, o.rejection_reasons,"
      + " o.status_reason, o.created_at, o.updated_at, (SELECT json_agg(json_build_object('sku', l.sku,"
      + " 'quantity', l.quantity, 'unitPriceCents', l.unit_price_cents) ORDER BY l.line_no)"
      + " FROM order_lines l WHERE l.order_id = o.id) AS items";
  private static final String INSERT_ORDER = "INSERT INTO orders (id, user_id, status, created_at, updated_at)"
      + " VALUES ($1, $2, $3, $4, $4)";
  private static final String INSERT_LINES = "INSERT INTO order_lines (order_id, line_no, sku, quantity)"
      + " SELECT $1, n, sku, quantity FROM unnest($2::int[], $3::text[], $4::int[]) AS t (n, sku, quantity)";
  private static final String BY_ID = "SELECT " + COLUMNS + " FROM orders o WHERE o.id = $1";
  private static final String LOCK = BY_ID + " FOR UPDATE OF o";
  private static final String UPDATE_STATE = "UPDATE orders SET status = $3, total_cents = $4, currency = $5,"
      + " rejection_reasons = $6, status_reason = $7, updated_at = clock_timestamp()"
      + " WHERE id = $1 AND status = $2 RETURNING updated_at";
  private static final String UPDATE_PRICES = "UPDATE order_lines l SET unit_price_cents = t.price"
      + " FROM unnest($2::text[], $3::bigint[]) AS t (sku, price) WHERE l.order_id = $1 AND l.sku = t.sku";
  private static final String FIRST_PAGE = "SELECT " + COLUMNS + " FROM orders o WHERE o.user_id = $1"
      + " AND ($2::text[] IS NULL OR o.status = ANY ($2)) ORDER BY o.created_at DESC, o.id DESC LIMIT $3";
  private static final String NEXT_PAGE = "SELECT " + COLUMNS + " FROM orders o WHERE o.user_id = $1"
      + " AND ($2::text[] IS NULL OR o.status = ANY ($2)) AND (o.created_at, o.id) < ($3, $4)"
      + " ORDER BY o.created_at DESC, o.id DESC LIMIT $5";
  private static final String EXPIRE = "UPDATE orders o SET status = 'EXPIRED', status_reason = $3,"
      + " updated_at = clock_timestamp() WHERE o.id IN (SELECT id FROM orders WHERE status = '"
      + OrderStateMachine.EXPIRES_FROM + "' AND created_at < clock_timestamp() - make_interval(secs => $1)"
      + " ORDER BY created_at LIMIT $2 FOR UPDATE SKIP LOCKED) AND o.status = '" + OrderStateMachine.EXPIRES_FROM
      + "' RETURNING o.id, o.user_id, o.created_at";
  private static final String COUNT_BY_STATUS = "SELECT status, count(*) AS n FROM orders GROUP BY status";

  /** Inserts a new order with its lines. */
  public Future<Void> insert(SqlClient tx, Order order) {
    int size = order.items().size();
    Integer[] numbers = new Integer[size];
    String[] skus = new String[size];
    Integer[] quantities = new Integer[size];
    for (int i = 0; i < size; i++) {
      numbers[i] = i + 1;
      skus[i] = order.items().get(i).sku();
      quantities[i] = order.items().get(i).quantity();
    }
    Future<?> head = tx.preparedQuery(INSERT_ORDER).execute(Tuple.of(order.id(), order.userId(),
        order.status().name(), utc(order.createdAt())));
    // sent right behind the first statement on the same connection (pipelined), run after it
    Future<?> lines = tx.preparedQuery(INSERT_LINES).execute(Tuple.of(order.id(), numbers, skus, quantities));
    return Future.all(head, lines).mapEmpty();
  }

  public Future<Optional<Order>> byId(SqlClient client, UUID id) {
    return client.preparedQuery(BY_ID).execute(Tuple.of(id)).map(OrderRepository::first);
  }

  /** Reads the order and locks it until the end of {@code tx}, so state changes to one order are serial. */
  public Future<Optional<Order>> lock(SqlClient tx, UUID id) {
    return tx.preparedQuery(LOCK).execute(Tuple.of(id)).map(OrderRepository::first);
  }

  /**
   * Stores {@code next} if the order is still in state {@code from}; returns it with its new
   * {@code updatedAt}. Fails when the order moved meanwhile (callers hold its lock, so it cannot).
   */
  public Future<Order> saveTransition(SqlClient tx, OrderStatus from, Order next) {
    JsonArray reasons = next.rejections().isEmpty() ? null : rejectionsJson(next.rejections());
    Future<RowSet<Row>> state = tx.preparedQuery(UPDATE_STATE).execute(Tuple.of(next.id(), from.name(),
        next.status().name(), next.totalCents(), next.currency(), reasons, next.statusReason()));
    Future<?> prices = Future.succeededFuture();
    if (next.items().stream().anyMatch(item -> item.unitPriceCents() != null)) {
      String[] skus = next.items().stream().map(OrderItem::sku).toArray(String[]::new);
      Long[] cents = next.items().stream().map(OrderItem::unitPriceCents).toArray(Long[]::new);
      prices = tx.preparedQuery(UPDATE_PRICES).execute(Tuple.of(next.id(), skus, cents));
    }
    return Future.all(state, prices).compose(done -> {
      RowSet<Row> rows = state.result();
      if (rows.rowCount() != 1) {
        return Future.failedFuture(new IllegalStateException("order " + next.id() + " is no longer " + from));
      }
      return Future.succeededFuture(next.updatedAt(rows.iterator().next().getOffsetDateTime(0).toInstant()));
    });
  }

  /** Up to {@code limit} of the user's orders after {@code after}, newest first, optionally of some statuses. */
  public Future<OrderPage> page(SqlClient client, String userId, Set<OrderStatus> statuses,
                                Optional<PageCursor> after, int limit) {
    String[] wanted = statuses.isEmpty() ? null : statuses.stream().map(Enum::name).toArray(String[]::new);
    Future<RowSet<Row>> found = after
        .map(c -> client.preparedQuery(NEXT_PAGE).execute(Tuple.of(userId, wanted, utc(c.createdAt()), c.id(),
            limit + 1)))
        .orElseGet(() -> client.preparedQuery(FIRST_PAGE).execute(Tuple.of(userId, wanted, limit + 1)));
    return found.map(rows -> {
      List<Order> orders = new ArrayList<>();
      rows.forEach(row -> orders.add(order(row)));
      if (orders.size() <= limit) {
        return new OrderPage(orders, Optional.empty());
      }
      List<Order> page = orders.subList(0, limit);
      Order last = page.get(limit - 1);
      return new OrderPage(page, Optional.of(new PageCursor(last.createdAt(), last.id())));
    });
  }

  /**
   * Marks up to {@code batch} orders PENDING for longer than {@code deadline} EXPIRED. Rows another
   * transaction holds (being confirmed, or expired by another instance) are skipped, not waited for.
   */
  public Future<List<Expired>> expireOverdue(SqlClient tx, Duration deadline, int batch) {
    return tx.preparedQuery(EXPIRE)
        .execute(Tuple.of(deadline.toMillis() / 1000.0, batch, OrderStateMachine.EXPIRED_REASON))
        .map(rows -> {
          List<Expired> expired = new ArrayList<>();
          rows.forEach(row -> expired.add(new Expired(row.getUUID("id"), row.getString("user_id"),
              row.getOffsetDateTime("created_at").toInstant())));
          return expired;
        });
  }

  /** How many orders are in each state (every state present, zero when none). */
  public Future<Map<OrderStatus, Long>> countByStatus(SqlClient client) {
    return client.query(COUNT_BY_STATUS).execute().map(rows -> {
      Map<OrderStatus, Long> counts = new EnumMap<>(OrderStatus.class);
      for (OrderStatus status : OrderStatus.values()) {
        counts.put(status, 0L);
      }
      rows.forEach(row -> counts.put(OrderStatus.valueOf(row.getString("status")), row.getLong("n")));
      return counts;
    });
  }

  /** An order the deadline job expired. */
  public record Expired(UUID id, String userId, Instant createdAt) {
  }

  private static Optional<Order> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(order(rows.iterator().next()));
  }

  private static Order order(Row row) {
    List<OrderItem> items = new ArrayList<>();
    JsonArray lines = row.getJsonArray("items");
    if (lines != null) {
      lines.forEach(o -> {
        JsonObject line = (JsonObject) o;
        items.add(new OrderItem(line.getString("sku"), line.getInteger("quantity"), line.getLong("unitPriceCents")));
      });
    }
    List<Rejection> rejections = new ArrayList<>();
    JsonArray reasons = row.getJsonArray("rejection_reasons");
    if (reasons != null) {
      reasons.forEach(o -> {
        JsonObject r = (JsonObject) o;
        rejections.add(new Rejection(r.getString("sku"), r.getString("reason"), r.getString("detail")));
      });
    }
    return new Order(row.getUUID("id"), row.getString("user_id"), OrderStatus.valueOf(row.getString("status")), items,
        row.getLong("total_cents"), row.getString("currency"), rejections, row.getString("status_reason"),
        row.getOffsetDateTime("created_at").toInstant(), row.getOffsetDateTime("updated_at").toInstant());
  }

  private static JsonArray rejectionsJson(List<Rejection> rejections) {
    JsonArray array = new JsonArray();
    rejections.forEach(r -> array.add(new JsonObject().put("sku", r.sku()).put("reason", r.reason())
        .put("detail", r.detail())));
    return array;
  }

  private static OffsetDateTime utc(Instant instant) {
    return OffsetDateTime.ofInstant(instant, ZoneOffset.UTC);
  }
}
