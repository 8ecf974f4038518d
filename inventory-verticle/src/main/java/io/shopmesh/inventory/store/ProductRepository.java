package io.shopmesh.inventory.store;

import io.shopmesh.inventory.domain.NewProduct;
import io.shopmesh.inventory.domain.Product;
import io.shopmesh.inventory.domain.ProductDetails;
import io.shopmesh.inventory.domain.ProductPage;
import io.shopmesh.inventory.domain.ProductQuery;
import io.shopmesh.inventory.domain.StockLevel;
import io.shopmesh.inventory.domain.StockLine;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code products} table. Writes that lock several products lock them in sku order, the one
 * order every transaction here uses, so two of them never deadlock.
 */
public final class ProductRepository {

  private static final String COLUMNS = "sku, name, description, price_cents, currency, available";
  private static final String INSERT = "INSERT INTO products (" + COLUMNS + ") VALUES ($1, $2, $3, $4, $5, $6)";
  private static final String BY_SKU = "SELECT " + COLUMNS + " FROM products WHERE sku = $1";
  private static final String BY_SKUS = "SELECT " + COLUMNS + " FROM products WHERE sku = ANY($1) ORDER BY sku";
  private static final String UPDATE_DETAILS = "UPDATE products SET name = $2, description = $3, price_cents = $4, "
      + "currency = $5, updated_at = now() WHERE sku = $1 RETURNING " + COLUMNS;
  private static final String RESTOCK = "UPDATE products SET available = available + $2, updated_at = now() "
      + "WHERE sku = $1 RETURNING " + COLUMNS;
  private static final String PAGE = "SELECT " + COLUMNS + " FROM products WHERE sku > $1 ORDER BY sku LIMIT $2";
  private static final String SEARCH = "SELECT " + COLUMNS + " FROM products WHERE sku > $1 "
      + "AND (name || ' ' || description) ILIKE $2 ORDER BY sku LIMIT $3";
  private static final String LOCK_STOCK = "SELECT sku, available, price_cents, currency FROM products "
      + "WHERE sku = ANY($1) ORDER BY sku FOR UPDATE";
  private static final String MOVE_STOCK = "UPDATE products p SET available = p.available + m.delta, "
      + "updated_at = now() FROM unnest($1::text[], $2::int4[]) AS m(sku, delta) WHERE p.sku = m.sku";
  private static final String UPSERT = "INSERT INTO products (" + COLUMNS + ") "
      + "SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::int8[], $5::text[], $6::int4[]) "
      + "ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name, description = EXCLUDED.description, "
      + "price_cents = EXCLUDED.price_cents, currency = EXCLUDED.currency, available = EXCLUDED.available, "
      + "updated_at = now() "
      + "WHERE (products.name, products.description, products.price_cents, products.currency, products.available) "
      + "IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.description, EXCLUDED.price_cents, EXCLUDED.currency, "
      + "EXCLUDED.available) "
      + "RETURNING " + COLUMNS + ", (xmax = 0) AS inserted";

  private final Pool pool;

  public ProductRepository(Pool pool) {
    this.pool = pool;
  }

  /** Inserts a product; fails with the driver's unique violation when the sku exists. */
  public Future<Product> insert(SqlClient tx, NewProduct p) {
    return tx.preparedQuery(INSERT).execute(Tuple.of(p.sku(), p.name(), p.description(), p.priceCents(), p.currency(),
        p.stock())).map(rows -> p.asProduct());
  }

  public Future<Optional<Product>> bySku(String sku) {
    return pool.preparedQuery(BY_SKU).execute(Tuple.of(sku)).map(ProductRepository::first);
  }

  /** Those of {@code skus} that exist, in sku order. */
  public Future<List<Product>> bySkus(List<String> skus) {
    return pool.preparedQuery(BY_SKUS).execute(Tuple.tuple().addArrayOfString(skus.toArray(String[]::new)))
        .map(ProductRepository::products);
  }

  public Future<Optional<Product>> updateDetails(SqlClient tx, String sku, ProductDetails d) {
    return tx.preparedQuery(UPDATE_DETAILS).execute(Tuple.of(sku, d.name(), d.description(), d.priceCents(),
        d.currency())).map(ProductRepository::first);
  }

  public Future<Optional<Product>> restock(SqlClient tx, String sku, int quantity) {
    return tx.preparedQuery(RESTOCK).execute(Tuple.of(sku, quantity)).map(ProductRepository::first);
  }

  /** A page in sku order, filtered by the query's text when it has one. */
  public Future<ProductPage> page(ProductQuery query) {
    String after = query.after().map(c -> c.afterSku()).orElse("");
    Future<RowSet<Row>> rows = query.likePattern()
        .map(like -> pool.preparedQuery(SEARCH).execute(Tuple.of(after, like, query.limit() + 1)))
        .orElseGet(() -> pool.preparedQuery(PAGE).execute(Tuple.of(after, query.limit() + 1)));
    return rows.map(set -> ProductPage.of(products(set), query.limit()));
  }

  /** Locks the rows of those {@code skus} that exist, in sku order, and reads their stock. */
  public Future<Map<String, StockLevel>> lockStock(SqlClient tx, List<String> skus) {
    return tx.preparedQuery(LOCK_STOCK).execute(Tuple.tuple().addArrayOfString(skus.toArray(String[]::new)))
        .map(rows -> {
          Map<String, StockLevel> levels = new HashMap<>();
          rows.forEach(row -> levels.put(row.getString("sku"), new StockLevel(row.getString("sku"),
              row.getInteger("available"), row.getLong("price_cents"), row.getString("currency"))));
          return levels;
        });
  }

  /** Adds each line's quantity (negative: takes it) to available stock; the rows must be locked already. */
  public Future<Void> moveStock(SqlClient tx, List<StockLine> deltas) {
    // built value by value: Tuple.of(a, array) would spread the array as varargs
    return tx.preparedQuery(MOVE_STOCK).execute(Tuple.tuple()
        .addArrayOfString(deltas.stream().map(StockLine::sku).toArray(String[]::new))
        .addArrayOfInteger(deltas.stream().map(StockLine::quantity).toArray(Integer[]::new))).mapEmpty();
  }

  /**
   * Inserts or updates {@code products} (sorted by sku, each sku once) in one statement. Returns
   * the rows that were inserted or actually changed; identical rows are left untouched.
   */
  public Future<List<Upserted>> upsert(SqlClient tx, List<NewProduct> products) {
    Tuple arrays = Tuple.of(
        products.stream().map(NewProduct::sku).toArray(String[]::new),
        products.stream().map(NewProduct::name).toArray(String[]::new),
        products.stream().map(NewProduct::description).toArray(String[]::new),
        products.stream().map(NewProduct::priceCents).toArray(Long[]::new),
        products.stream().map(NewProduct::currency).toArray(String[]::new),
        products.stream().map(NewProduct::stock).toArray(Integer[]::new));
    return tx.preparedQuery(UPSERT).execute(arrays).map(rows -> {
      List<Upserted> out = new ArrayList<>();
      rows.forEach(row -> out.add(new Upserted(product(row), row.getBoolean("inserted"))));
      return out;
    });
  }

  /** A product written by {@link #upsert}, and whether it is new. */
  public record Upserted(Product product, boolean inserted) {
  }

  private static Optional<Product> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(product(rows.iterator().next()));
  }

  private static List<Product> products(RowSet<Row> rows) {
    List<Product> out = new ArrayList<>(rows.size());
    rows.forEach(row -> out.add(product(row)));
    return out;
  }

  private static Product product(Row row) {
    return new Product(row.getString("sku"), row.getString("name"), row.getString("description"),
        row.getLong("price_cents"), row.getString("currency"), row.getInteger("available"));
  }
}
