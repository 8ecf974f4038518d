package io.shopmesh.inventory.http;

import io.shopmesh.inventory.domain.ImportJob;
import io.shopmesh.inventory.domain.PageCursor;
import io.shopmesh.inventory.domain.Product;
import io.shopmesh.inventory.domain.ProductPage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The JSON shapes the inventory API answers with. */
final class ProductJson {

  private ProductJson() {
  }

  static JsonObject of(Product p) {
    return new JsonObject()
        .put("sku", p.sku())
        .put("name", p.name())
        .put("description", p.description())
        .put("priceCents", p.priceCents())
        .put("currency", p.currency())
        .put("available", p.available());
  }

  static JsonObject of(ProductPage page) {
    return new JsonObject()
        .put("items", new JsonArray(page.items().stream().map(ProductJson::of).toList()))
        .put("nextCursor", page.next().map(PageCursor::encode).orElse(null));
  }

  static JsonObject of(ImportJob job) {
    return new JsonObject()
        .put("id", job.id().toString())
        .put("state", job.state().name())
        .put("format", job.format())
        .put("rowsRead", job.rowsRead())
        .put("rowsImported", job.rowsImported())
        .put("errorCount", job.errorCount())
        .put("errors", new JsonArray(job.errors().stream()
            .map(e -> new JsonObject().put("line", e.line()).put("message", e.message())).toList()))
        .put("startedAt", job.startedAt().toString())
        .put("finishedAt", job.finishedAt().map(Object::toString).orElse(null));
  }
}
