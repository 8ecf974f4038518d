package io.shopmesh.inventory.http;

import io.shopmesh.events.UuidV7;
import io.shopmesh.inventory.store.ImportJobRepository;
import io.shopmesh.inventory.work.ImportFormat;
import io.shopmesh.inventory.work.ImportRunner;
import io.shopmesh.inventory.work.ImportSlots;
import io.shopmesh.platform.auth.BearerAuth;
import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

import java.util.UUID;

/** {@code POST /api/products/import} and {@code GET /api/imports/{id}}, both admin only. */
final class ImportHandlers {

  private static final String SLOT = "shopmesh.importSlot";

  private final ImportJobRepository jobs;
  private final ImportRunner runner;
  private final ImportSlots slots;
  private final int maxErrors;

  ImportHandlers(ImportJobRepository jobs, ImportRunner runner, ImportSlots slots, int maxErrors) {
    this.jobs = jobs;
    this.runner = runner;
    this.slots = slots;
    this.maxErrors = maxErrors;
  }

  /**
   * Before the body is read: a place for the job, or 503 with {@code Retry-After} at once, so a refused
   * upload is never buffered (up to {@code imports.maxBytes} each). The place goes back when the request
   * ends without having started a job (a bad file, a client gone).
   */
  void reserveSlot(RoutingContext ctx) {
    ImportSlots.Slot slot = slots.acquire(); // all taken: the router turns the thrown 503 into the answer
    ctx.put(SLOT, slot);
    ctx.addEndHandler(ended -> {
      ImportSlots.Slot unused = ctx.get(SLOT);
      if (unused != null) {
        unused.release();
      }
    });
    ctx.next();
  }

  /** Accepts the file and answers 202 at once; the job runs in the background. */
  Future<JsonObject> start(RoutingContext ctx) {
    String contentType = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    ImportFormat format = ImportFormat.of(contentType).orElseThrow(() -> new ProblemException(415,
        "Unsupported Media Type", "an import is text/csv or application/x-ndjson (UTF-8), not " + contentType));
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw ProblemException.badRequest("the import file is empty");
    }
    // from here on the job owns the place reserved before the body (and releases it when it ends)
    ImportSlots.Slot slot = ctx.remove(SLOT);
    UUID id = UuidV7.next();
    return jobs.create(id, format.name(), body.length(), BearerAuth.identity(ctx).userId())
        .onFailure(e -> slot.release())
        .map(created -> {
          runner.start(id, format, body, slot);
          ctx.response().setStatusCode(202).putHeader(HttpHeaders.LOCATION, "/api/imports/" + id);
          return new JsonObject().put("jobId", id.toString());
        });
  }

  Future<JsonObject> status(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    ProblemException notFound = ProblemException.notFound("no import with id " + id);
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(notFound);
    }
    return jobs.find(uuid, maxErrors).map(job -> ProductJson.of(job.orElseThrow(() -> notFound)));
  }
}
