package io.shopmesh.bench.scenarios;

import io.shopmesh.devstack.Endpoints;
import io.shopmesh.platform.config.PgConfig;
import io.shopmesh.platform.db.PgPools;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an order's time goes, read back from the two databases after a run: every step of the saga
 * leaves a timestamp (order row, outbox rows and their publication, inbox rows), so each confirmed
 * order since {@code since} yields one duration per stage. Publication is stamped by the relay's
 * UPDATE after the broker's acknowledgement, so a consumer may see the event before it: a "hop"
 * can be close to zero or slightly negative, and the relay stage includes the acknowledgement.
 */
final class SagaStages {

  static final String[] STAGES = {
      "1 orders: POST transaction (order row -> OrderPlaced row)",
      "2 orders relay: commit, wake-up, read, produce + ack",
      "3 Kafka -> inventory inbox",
      "4 inventory: reservation transaction (inbox -> Stock* row)",
      "5 inventory relay: commit, wake-up, read, produce + ack",
      "6 Kafka -> orders inbox",
      "7 orders: confirm transaction (inbox -> order updated)",
      "total: order row -> order updated"};

  private SagaStages() {
  }

  /**
   * The duration (ms) of each stage for every confirmed order created since {@code since}, one value
   * per order (the report derives median and spread); stages without a value are left out.
   */
  static Map<String, double[]> durations(Vertx vertx, Endpoints endpoints, Instant since) {
    Pool orders = pool(vertx, endpoints, "orders");
    Pool inventory = pool(vertx, endpoints, "inventory");
    try {
      OffsetDateTime from = since.atOffset(ZoneOffset.UTC);
      Map<String, Instant> inventoryInbox = new HashMap<>();
      inventory.preparedQuery("SELECT event_id::text, received_at FROM inbox WHERE received_at >= $1")
          .execute(Tuple.of(from)).await().forEach(r -> inventoryInbox.put(r.getString(0), at(r, 1)));
      Map<String, Row> stock = new HashMap<>();
      inventory.preparedQuery("SELECT aggregate_id, id::text, created_at, published_at FROM outbox"
              + " WHERE type = 'StockReserved' AND created_at >= $1")
          .execute(Tuple.of(from)).await().forEach(r -> stock.put(r.getString(0), r));
      Map<String, Instant> ordersInbox = new HashMap<>();
      orders.preparedQuery("SELECT event_id::text, received_at FROM inbox WHERE received_at >= $1")
          .execute(Tuple.of(from)).await().forEach(r -> ordersInbox.put(r.getString(0), at(r, 1)));
      Map<String, List<Double>> stages = new LinkedHashMap<>();
      for (String stage : STAGES) {
        stages.put(stage, new ArrayList<>());
      }
      for (Row o : orders.preparedQuery("SELECT o.id::text, o.created_at, o.updated_at, ob.id::text,"
              + " ob.created_at, ob.published_at FROM orders o JOIN outbox ob ON ob.aggregate_id = o.id::text"
              + " AND ob.type = 'OrderPlaced' WHERE o.status = 'CONFIRMED' AND o.created_at >= $1")
          .execute(Tuple.of(from)).await()) {
        Row reserved = stock.get(o.getString(0));
        if (reserved == null || o.getValue(5) == null || reserved.getValue(3) == null) {
          continue;
        }
        Instant[] t = {at(o, 1), at(o, 4), at(o, 5), inventoryInbox.get(o.getString(3)), at(reserved, 2),
            at(reserved, 3), ordersInbox.get(reserved.getString(1)), at(o, 2)};
        if (t[3] == null || t[6] == null) {
          continue;
        }
        for (int i = 0; i < 7; i++) {
          record(stages.get(STAGES[i]), t[i], t[i + 1]);
        }
        record(stages.get(STAGES[7]), t[0], t[7]);
      }
      Map<String, double[]> durations = new LinkedHashMap<>();
      stages.forEach((stage, values) -> {
        if (!values.isEmpty()) {
          durations.put(stage, values.stream().mapToDouble(Double::doubleValue).toArray());
        }
      });
      return durations;
    } finally {
      orders.close();
      inventory.close();
    }
  }

  private static void record(List<Double> values, Instant from, Instant to) {
    values.add(Duration.between(from, to).toNanos() / 1e6);
  }

  private static Instant at(Row row, int column) {
    return row.getOffsetDateTime(column).toInstant();
  }

  private static Pool pool(Vertx vertx, Endpoints endpoints, String database) {
    Endpoints.Database db = endpoints.databases().get(database);
    return PgPools.create(vertx, new PgConfig(db.url(), db.password(), 2, 16, Duration.ofSeconds(10)), "stages");
  }
}
