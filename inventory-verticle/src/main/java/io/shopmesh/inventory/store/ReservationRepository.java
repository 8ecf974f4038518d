package io.shopmesh.inventory.store;

import io.shopmesh.inventory.domain.ReservedLine;
import io.shopmesh.inventory.domain.StockLine;
import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The {@code reservations} and {@code reservation_lines} tables: what inventory decided for each
 * order, at most one row per order (its primary key), and the quantities a live reservation holds.
 */
public final class ReservationRepository {

  private static final String STATUS = "SELECT status FROM reservations WHERE order_id = $1 FOR UPDATE";
  private static final String INSERT = "INSERT INTO reservations (order_id, status, currency) VALUES ($1, $2, $3)";
  private static final String INSERT_LINES = "INSERT INTO reservation_lines "
      + "(order_id, sku, quantity, unit_price_cents, currency) "
      + "SELECT $1, * FROM unnest($2::text[], $3::int4[], $4::int8[], $5::text[])";
  private static final String LINES = "SELECT sku, quantity FROM reservation_lines WHERE order_id = $1 ORDER BY sku";
  private static final String SET_STATUS = "UPDATE reservations SET status = $2, updated_at = now() "
      + "WHERE order_id = $1";

  /** What was decided for an order. */
  public enum Status {
    RESERVED, RELEASED, REJECTED, CANCELLED
  }

  /** The order's status, its row locked until the transaction ends; empty when the order is new here. */
  public Future<Optional<Status>> lockStatus(SqlClient tx, String orderId) {
    return tx.preparedQuery(STATUS).execute(Tuple.of(orderId)).map(rows -> rows.size() == 0 ? Optional.empty()
        : Optional.of(Status.valueOf(rows.iterator().next().getString("status"))));
  }

  /**
   * Records a reservation holding {@code lines}. Both statements are issued together; the
   * connection runs them in the order given, so the lines' foreign key finds the reservation.
   */
  public Future<Void> insertReserved(SqlClient tx, String orderId, String currency, List<ReservedLine> lines) {
    Future<?> reservation = tx.preparedQuery(INSERT).execute(Tuple.of(orderId, Status.RESERVED.name(), currency));
    Future<?> reservedLines = tx.preparedQuery(INSERT_LINES).execute(Tuple.of(orderId,
        lines.stream().map(ReservedLine::sku).toArray(String[]::new),
        lines.stream().map(ReservedLine::quantity).toArray(Integer[]::new),
        lines.stream().map(ReservedLine::unitPriceCents).toArray(Long[]::new),
        lines.stream().map(ReservedLine::currency).toArray(String[]::new)));
    return Future.all(reservation, reservedLines).mapEmpty();
  }

  /** Records an outcome that holds nothing: {@code REJECTED} or the {@code CANCELLED} tombstone. */
  public Future<Void> insertEmpty(SqlClient tx, String orderId, Status status) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(orderId, status.name(), null)).mapEmpty();
  }

  /** The lines a reservation holds, in sku order. */
  public Future<List<StockLine>> lines(SqlClient tx, String orderId) {
    return tx.preparedQuery(LINES).execute(Tuple.of(orderId)).map(rows -> {
      List<StockLine> lines = new ArrayList<>();
      rows.forEach(row -> lines.add(new StockLine(row.getString("sku"), row.getInteger("quantity"))));
      return lines;
    });
  }

  public Future<Void> setStatus(SqlClient tx, String orderId, Status status) {
    return tx.preparedQuery(SET_STATUS).execute(Tuple.of(orderId, status.name())).mapEmpty();
  }
}
