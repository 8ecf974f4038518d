package io.shopmesh.inventory.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.List;

/**
 * The {@code stock_ledger} table: one entry per change of a product's available quantity,
 * written in the transaction that makes the change (see the {@code stock_balance} view).
 */
public final class StockLedger {

  private static final String APPEND = "INSERT INTO stock_ledger (sku, kind, delta, reference) "
      + "SELECT * FROM unnest($1::text[], $2::text[], $3::int4[], $4::text[])";

  /** Why available stock moved. */
  public enum Kind {
    /** a product was created with its first stock */
    INITIAL,
    /** stock was added through the API */
    RESTOCK,
    /** an import set an existing product's stock to a new level */
    ADJUSTMENT,
    /** stock was held for an order */
    RESERVE,
    /** an order's held stock was given back */
    RELEASE
  }

  /** One movement; {@code reference} names its cause: an order id, an import job id, an admin's user id. */
  public record Entry(String sku, Kind kind, int delta, String reference) {
  }

  public Future<Void> append(SqlClient tx, List<Entry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    return tx.preparedQuery(APPEND).execute(Tuple.of(
        entries.stream().map(Entry::sku).toArray(String[]::new),
        entries.stream().map(e -> e.kind().name()).toArray(String[]::new),
        entries.stream().map(Entry::delta).toArray(Integer[]::new),
        entries.stream().map(Entry::reference).toArray(String[]::new))).mapEmpty();
  }
}
