package io.shopmesh.inventory.catalog;

import io.shopmesh.inventory.domain.ImportRow;
import io.shopmesh.inventory.domain.NewProduct;
import io.shopmesh.inventory.domain.Product;
import io.shopmesh.inventory.domain.ProductDetails;
import io.shopmesh.inventory.domain.ProductRules;
import io.shopmesh.inventory.domain.RowError;
import io.shopmesh.inventory.domain.StockLevel;
import io.shopmesh.inventory.events.InventoryEvents;
import io.shopmesh.inventory.store.ImportJobRepository;
import io.shopmesh.inventory.store.ProductRepository;
import io.shopmesh.inventory.store.StockLedger;
import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlClient;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The catalog's write transactions: a product change, its stock-ledger entry and its
 * {@code ProductUpserted} event commit together or not at all.
 */
public final class Catalog {

  private static final String UNIQUE_VIOLATION = "23505";
  private static final String CHECK_VIOLATION = "23514";
  private static final String DEADLOCK = "40P01";
  private static final int IMPORT_ATTEMPTS = 3;

  private final Pool pool;
  private final ProductRepository products;
  private final StockLedger ledger;
  private final ImportJobRepository jobs;
  private final InventoryEvents events;

  public Catalog(Pool pool, ProductRepository products, StockLedger ledger, ImportJobRepository jobs,
                 InventoryEvents events) {
    this.pool = pool;
    this.products = products;
    this.ledger = ledger;
    this.jobs = jobs;
    this.events = events;
  }

  /** Creates a product with its initial stock; 409 when the sku exists. */
  public Future<Product> create(NewProduct product, String by) {
    return pool.withTransaction(tx -> products.insert(tx, product)
            .compose(created -> ledger.append(tx, List.of(
                    new StockLedger.Entry(created.sku(), StockLedger.Kind.INITIAL, product.stock(), by)))
                .compose(v -> events.productUpserted(tx, created)).map(created)))
        .recover(e -> failure(e, UNIQUE_VIOLATION, ProblemException.conflict(
            "a product with sku " + product.sku() + " already exists")));
  }

  /** Replaces name, description and price; 404 when there is no such product. */
  public Future<Product> update(String sku, ProductDetails details) {
    return pool.withTransaction(tx -> products.updateDetails(tx, sku, details)
        .compose(updated -> published(tx, updated, sku)));
  }

  /** Adds {@code quantity} to the available stock; 404 when there is no such product. */
  public Future<Product> restock(String sku, int quantity, String by) {
    return pool.withTransaction(tx -> products.restock(tx, sku, quantity)
            .compose(restocked -> restocked.isEmpty() ? published(tx, restocked, sku)
                : ledger.append(tx, List.of(new StockLedger.Entry(sku, StockLedger.Kind.RESTOCK, quantity, by)))
                    .compose(v -> published(tx, restocked, sku))))
        .recover(e -> failure(e, CHECK_VIOLATION, ProblemException.conflict("restocking " + quantity + " would take "
            + sku + " beyond " + ProductRules.STOCK_MAX + ", the largest stock a product can hold")));
  }

  /**
   * Upserts one batch of an import in one transaction, with the job's counters: the existing
   * products among {@code rows} are locked in sku order first, so the batch never deadlocks with a
   * reservation. A new product's stock is its initial stock; an existing product's stock is set to
   * the file's value, the difference going to the ledger as an adjustment. Only new or changed
   * products publish {@code ProductUpserted}. Retried when a concurrent writer got in the way.
   *
   * @param rows         valid rows, each sku at most once
   * @param storedErrors the batch's errors that still fit in the job's error list
   */
  public Future<Void> importBatch(UUID jobId, List<ImportRow> rows, int rowsRead, int errorCount,
                                  List<RowError> storedErrors) {
    return importBatch(jobId, rows, rowsRead, errorCount, storedErrors, 1);
  }

  private Future<Void> importBatch(UUID jobId, List<ImportRow> rows, int rowsRead, int errorCount,
                                   List<RowError> storedErrors, int attempt) {
    List<NewProduct> sorted = rows.stream().map(ImportRow::product)
        .sorted(Comparator.comparing(NewProduct::sku)).toList();
    String reference = "import:" + jobId;
    return pool.withTransaction(tx -> upsert(tx, sorted, reference)
            .compose(v -> jobs.progress(tx, jobId, rowsRead, sorted.size(), errorCount, storedErrors)))
        .recover(e -> {
          boolean contended = e instanceof ConcurrentWrite || e instanceof PgException pg
              && DEADLOCK.equals(pg.getSqlState());
          return contended && attempt < IMPORT_ATTEMPTS
              ? importBatch(jobId, rows, rowsRead, errorCount, storedErrors, attempt + 1)
              : Future.failedFuture(e);
        });
  }

  private Future<Void> upsert(SqlClient tx, List<NewProduct> sorted, String reference) {
    if (sorted.isEmpty()) {
      return Future.succeededFuture();
    }
    return products.lockStock(tx, sorted.stream().map(NewProduct::sku).toList())
        .compose(before -> products.upsert(tx, sorted).compose(written -> {
          List<StockLedger.Entry> entries = new ArrayList<>();
          for (ProductRepository.Upserted u : written) {
            ledgerEntry(u, before, reference).ifPresent(entries::add);
          }
          return ledger.append(tx, entries)
              .compose(v -> events.productsUpserted(tx, written.stream().map(ProductRepository.Upserted::product)
                  .toList()));
        }));
  }

  private static Optional<StockLedger.Entry> ledgerEntry(ProductRepository.Upserted u, Map<String, StockLevel> before,
                                                         String reference) {
    Product p = u.product();
    if (u.inserted()) {
      return Optional.of(new StockLedger.Entry(p.sku(), StockLedger.Kind.INITIAL, p.available(), reference));
    }
    StockLevel previous = before.get(p.sku());
    if (previous == null) {
      // created by someone else between our lock and our upsert: its previous stock is unknown here
      throw new ConcurrentWrite();
    }
    int delta = p.available() - previous.available();
    return delta == 0 ? Optional.empty()
        : Optional.of(new StockLedger.Entry(p.sku(), StockLedger.Kind.ADJUSTMENT, delta, reference));
  }

  private Future<Product> published(SqlClient tx, Optional<Product> product, String sku) {
    if (product.isEmpty()) {
      return Future.failedFuture(ProblemException.notFound("no product with sku " + sku));
    }
    return events.productUpserted(tx, product.get()).map(product.get());
  }

  private static <T> Future<T> failure(Throwable e, String sqlState, ProblemException meaning) {
    if (e instanceof PgException pg && sqlState.equals(pg.getSqlState())) {
      return Future.failedFuture(meaning);
    }
    return Future.failedFuture(e);
  }

  /** The batch met a product created concurrently; running it again sees that product locked. */
  private static final class ConcurrentWrite extends RuntimeException {

    ConcurrentWrite() {
      super("a product of the batch was created concurrently", null, false, false);
    }
  }
}
