package io.shopmesh.e2e;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold after any fault, read straight from the services' databases (each with its own
 * role) for one customer's orders of one product:
 * <ul>
 *   <li>every order the client got a 2xx for exists under its key and has been decided (not PENDING);</li>
 *   <li>an order whose client never got an answer is absent or terminal;</li>
 *   <li>one order per key and no order without a key (no duplicate from a retry);</li>
 *   <li>each order published each of its events once, and inventory published each of its own once
 *       (no event was applied twice), and every event reached its consumer's inbox;</li>
 *   <li>stock is conserved: every product's {@code stock_balance} row is balanced, and the stock held
 *       for the product is exactly what its confirmed orders hold;</li>
 *   <li>no order has two reservations (nor two reserve or release entries in the ledger), and each
 *       reservation agrees with its order: CONFIRMED holds stock, REJECTED none, a cancelled or
 *       expired order none any more.</li>
 * </ul>
 */
final class Invariants {

  private static final Set<String> TERMINAL = Set.of("REJECTED", "CANCELLED", "EXPIRED");

  private Invariants() {
  }

  /** Every broken rule, in words; empty when all hold. */
  static List<String> violations(Mesh mesh, String userId, String sku, Collection<OrderLoad.Placement> placements)
      throws SQLException {
    List<String> broken = new ArrayList<>();
    Map<String, String[]> byKey = new HashMap<>();
    Map<String, String> statusById = new HashMap<>();
    Map<String, List<String>> ordersEvents;
    long confirmedQuantity;
    try (Connection orders = mesh.database("orders")) {
      try (ResultSet rows = query(orders, "SELECT k.key, o.id::text, o.status FROM idempotency_keys k"
          + " JOIN orders o ON o.id = k.order_id WHERE k.user_id = ?", userId)) {
        while (rows.next()) {
          byKey.put(rows.getString(1), new String[] {rows.getString(2), rows.getString(3)});
          statusById.put(rows.getString(2), rows.getString(3));
        }
      }
      long ordersOfUser = single(orders, "SELECT count(*) FROM orders WHERE user_id = ?", userId);
      if (ordersOfUser != byKey.size()) {
        broken.add(ordersOfUser + " orders but " + byKey.size() + " idempotency keys: an order was created twice");
      }
      Set<String> keys = new HashSet<>();
      for (OrderLoad.Placement p : placements) {
        keys.add(p.key);
        String[] found = byKey.get(p.key);
        if (p.answered()) {
          if (found == null || !found[0].equals(p.orderId)) {
            broken.add("order " + p.orderId + " was accepted (202) but is not stored under its key " + p.key);
          } else if (found[1].equals("PENDING")) {
            broken.add("order " + p.orderId + " is still PENDING");
          }
        } else if (p.gaveUp && found != null && !TERMINAL.contains(found[1])) {
          broken.add("order " + found[0] + " of an unanswered request is " + found[1]
              + ", neither absent nor terminal");
        }
      }
      byKey.keySet().stream().filter(k -> !keys.contains(k))
          .forEach(k -> broken.add("key " + k + " was never sent by the client but holds an order"));
      ordersEvents = events(orders, statusById.keySet(), broken, "orders");
      confirmedQuantity = single(orders, "SELECT coalesce(sum(l.quantity), 0) FROM order_lines l JOIN orders o"
          + " ON o.id = l.order_id WHERE o.user_id = ? AND o.status = 'CONFIRMED' AND l.sku = ?", userId, sku);
      List<String> stockEvents = new ArrayList<>();
      try (Connection inventory = mesh.database("inventory")) {
        Map<String, List<String>> inventoryEvents = events(inventory, statusById.keySet(), broken, "inventory");
        inventoryEvents.forEach((type, ids) -> {
          if (type.equals("StockReserved") || type.equals("StockRejected")) {
            stockEvents.addAll(ids);
          }
        });
        List<String> placedOrCancelled = new ArrayList<>(ordersEvents.getOrDefault("OrderPlaced", List.of()));
        placedOrCancelled.addAll(ordersEvents.getOrDefault("OrderCancelled", List.of()));
        missingFromInbox(inventory, "inventory", placedOrCancelled, broken);
        checkStock(inventory, sku, confirmedQuantity, statusById, broken);
      }
      missingFromInbox(orders, "orders", stockEvents, broken);
    }
    return broken;
  }

  /** The longest an order of {@code userId} waited for inventory's decision, in ms. */
  static long maxSagaMillis(Mesh mesh, String userId, long sinceMillis) throws SQLException {
    try (Connection orders = mesh.database("orders")) {
      return single(orders, "SELECT coalesce(max(extract(epoch FROM (updated_at - created_at)) * 1000), 0)::bigint"
          + " FROM orders WHERE user_id = ? AND status IN ('CONFIRMED', 'REJECTED')"
          + " AND created_at >= to_timestamp(?::double precision / 1000)", userId, sinceMillis);
    }
  }

  private static void checkStock(Connection inventory, String sku, long confirmedQuantity,
                                 Map<String, String> statusById, List<String> broken) throws SQLException {
    long unbalanced = single(inventory, "SELECT count(*) FROM stock_balance WHERE NOT balanced");
    if (unbalanced > 0) {
      broken.add(unbalanced + " products whose stock is not conserved (stock_balance.balanced is false)");
    }
    try (ResultSet rows = query(inventory, "SELECT supplied, available, held FROM stock_balance WHERE sku = ?", sku)) {
      if (rows.next()) {
        long supplied = rows.getLong(1);
        long available = rows.getLong(2);
        long held = rows.getLong(3);
        if (supplied != available + held) {
          broken.add(sku + ": supplied " + supplied + " != available " + available + " + held " + held);
        }
        if (held != confirmedQuantity) {
          broken.add(sku + ": inventory holds " + held + " but the confirmed orders hold " + confirmedQuantity);
        }
      } else {
        broken.add("no stock_balance row for " + sku);
      }
    }
    Array ids = inventory.createArrayOf("text", statusById.keySet().toArray());
    try (PreparedStatement twice = inventory.prepareStatement("SELECT reference, sku, kind, count(*) FROM stock_ledger"
        + " WHERE reference = ANY (?) AND kind IN ('RESERVE', 'RELEASE') GROUP BY 1, 2, 3 HAVING count(*) > 1")) {
      twice.setArray(1, ids);
      try (ResultSet rows = twice.executeQuery()) {
        while (rows.next()) {
          broken.add("order " + rows.getString(1) + " has " + rows.getLong(4) + " " + rows.getString(3)
              + " ledger entries for " + rows.getString(2));
        }
      }
    }
    Map<String, String> reservations = new HashMap<>();
    try (PreparedStatement read = inventory.prepareStatement(
        "SELECT order_id, status FROM reservations WHERE order_id = ANY (?)")) {
      read.setArray(1, ids);
      try (ResultSet rows = read.executeQuery()) {
        while (rows.next()) {
          reservations.put(rows.getString(1), rows.getString(2));
        }
      }
    }
    statusById.forEach((id, status) -> {
      String reservation = reservations.get(id);
      boolean agrees = switch (status) {
        case "CONFIRMED" -> "RESERVED".equals(reservation);
        case "REJECTED" -> "REJECTED".equals(reservation);
        case "CANCELLED", "EXPIRED" -> reservation != null && !reservation.equals("RESERVED");
        default -> true;
      };
      if (!agrees) {
        broken.add("order " + id + " is " + status + " but its reservation is " + reservation);
      }
    });
  }

  /** Event ids by type that {@code service} put in its outbox for these orders; duplicates are violations. */
  private static Map<String, List<String>> events(Connection db, Set<String> orderIds, List<String> broken,
                                                  String service) throws SQLException {
    Map<String, List<String>> byType = new HashMap<>();
    Map<String, Integer> perOrderAndType = new HashMap<>();
    try (PreparedStatement read = db.prepareStatement(
        "SELECT id::text, aggregate_id, type FROM outbox WHERE aggregate_id = ANY (?)")) {
      read.setArray(1, db.createArrayOf("text", orderIds.toArray()));
      try (ResultSet rows = read.executeQuery()) {
        while (rows.next()) {
          byType.computeIfAbsent(rows.getString(3), t -> new ArrayList<>()).add(rows.getString(1));
          perOrderAndType.merge(rows.getString(2) + " " + rows.getString(3), 1, Integer::sum);
        }
      }
    }
    perOrderAndType.forEach((orderAndType, n) -> {
      if (n > 1) {
        broken.add(service + " published " + n + " times: " + orderAndType);
      }
    });
    return byType;
  }

  private static void missingFromInbox(Connection db, String consumer, List<String> eventIds, List<String> broken)
      throws SQLException {
    if (eventIds.isEmpty()) {
      return;
    }
    Set<String> seen = new HashSet<>();
    try (PreparedStatement read = db.prepareStatement(
        "SELECT event_id::text FROM inbox WHERE consumer = ? AND event_id = ANY (?::uuid[])")) {
      read.setString(1, consumer);
      read.setArray(2, db.createArrayOf("text", eventIds.toArray()));
      try (ResultSet rows = read.executeQuery()) {
        while (rows.next()) {
          seen.add(rows.getString(1));
        }
      }
    }
    long missing = eventIds.stream().filter(id -> !seen.contains(id)).count();
    if (missing > 0) {
      broken.add(missing + " of " + eventIds.size() + " events never reached the " + consumer + " inbox");
    }
  }

  private static ResultSet query(Connection db, String sql, Object... params) throws SQLException {
    PreparedStatement statement = db.prepareStatement(sql);
    for (int i = 0; i < params.length; i++) {
      statement.setObject(i + 1, params[i]);
    }
    statement.closeOnCompletion();
    return statement.executeQuery();
  }

  private static long single(Connection db, String sql, Object... params) throws SQLException {
    try (ResultSet rows = query(db, sql, params)) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
