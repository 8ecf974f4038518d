package io.shopmesh.inventory.work;

import io.shopmesh.inventory.InventoryConfig;
import io.shopmesh.inventory.catalog.Catalog;
import io.shopmesh.inventory.domain.ImportJob;
import io.shopmesh.inventory.domain.RowError;
import io.shopmesh.inventory.store.ImportJobRepository;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.lifecycle.ServiceContext;
import io.shopmesh.platform.lifecycle.Shutdown;
import io.shopmesh.platform.work.WorkPool;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Runs import jobs: each batch of rows is read and validated on the {@code imports} work pool,
 * then upserted in one transaction that also moves the job's counters. The runner itself is a
 * worker verticle, so the per-batch bookkeeping (building 500 events, encoding them) never lands
 * on an event loop either. A job ends COMPLETED when its file was read to the end, FAILED when the
 * file could not be read further or the database refused a batch; committed batches stand. On
 * shutdown, jobs stop after their current batch and end FAILED. Between batches a job rests in
 * proportion to how long the batch took: a bulk load is not urgent, reads of the catalog are.
 */
public final class ImportRunner extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(ImportRunner.class);

  private final WorkPool parsers;
  private final Catalog catalog;
  private final ImportJobRepository jobs;
  private final InventoryConfig.Imports settings;
  private final List<Promise<Void>> running = new ArrayList<>();
  private boolean stopping;

  private ImportRunner(WorkPool parsers, Catalog catalog, ImportJobRepository jobs, InventoryConfig.Imports settings) {
    this.parsers = parsers;
    this.catalog = catalog;
    this.jobs = jobs;
    this.settings = settings;
  }

  /** Deploys the runner; it is stopped with the messaging phase of shutdown, before the pools close. */
  public static Future<ImportRunner> deploy(ServiceContext service, WorkPool parsers, Catalog catalog,
                                            ImportJobRepository jobs, InventoryConfig.Imports settings) {
    ImportRunner runner = new ImportRunner(parsers, catalog, jobs, settings);
    return service.deploy("import runner", Shutdown.Phase.MESSAGING, () -> runner, new DeploymentOptions()
            .setThreadingModel(ThreadingModel.WORKER).setWorkerPoolName("shopmesh-import-runner").setWorkerPoolSize(1))
        .map(id -> runner);
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return Future.join(running.stream().map(Promise::future).toList());
  }

  /** Runs the job in the background; {@code slot} is released when it ends, however it ends. */
  public void start(UUID jobId, ImportFormat format, Buffer body, ImportSlots.Slot slot) {
    Job job = new Job(jobId, RowReader.open(format, body));
    context.runOnContext(v -> {
      Promise<Void> done = Promise.promise();
      running.add(done);
      done.future().onComplete(ar -> {
        running.remove(done);
        slot.release();
      });
      LOG.info("import {} started ({} bytes of {})", jobId, body.length(), format.mediaType());
      step(job, done);
    });
  }

  /**
   * One batch, then, after resting {@code imports.restRatio} times as long as the batch took (so an
   * import leaves the database and the cores to interactive requests part of the time), the next
   * one from a timer: the chain never nests futures.
   */
  private void step(Job job, Promise<Void> done) {
    if (stopping) {
      end(job, ImportJob.State.FAILED, Optional.of(new RowError(job.lastLine + 1,
          "the import was interrupted because the service stopped; upload the rows from this line on again (rows "
              + "before it are imported; uploading them again sets their stock to the file's value once more, "
              + "whatever orders have reserved since)")), done);
      return;
    }
    long started = System.nanoTime();
    parsers.submit(() -> job.reader.next(settings.batchSize()))
        .compose(batch -> {
          List<RowError> stored = job.keep(batch.errors(), settings.maxErrors());
          batch.rows().forEach(r -> job.lastLine = Math.max(job.lastLine, r.line()));
          batch.errors().forEach(r -> job.lastLine = Math.max(job.lastLine, r.line()));
          return catalog.importBatch(job.id, batch.rows(), batch.rowsRead(), batch.errors().size(), stored)
              .map(batch);
        })
        .onComplete(ar -> {
          if (ar.failed()) {
            LOG.error("import {} failed", job.id, ar.cause());
            end(job, ImportJob.State.FAILED, Optional.of(new RowError(job.lastLine + 1,
                "the import stopped: " + describe(ar.cause()))), done);
          } else if (ar.result().last()) {
            ImportBatch last = ar.result();
            end(job, last.fatal().isPresent() ? ImportJob.State.FAILED : ImportJob.State.COMPLETED, last.fatal(), done);
          } else {
            long batchMillis = (System.nanoTime() - started) / 1_000_000;
            vertx.setTimer(restMillis(batchMillis, settings.restRatio(), settings.staleAfter()), t -> step(job, done));
          }
        });
  }

  /**
   * The pause after a batch that took {@code batchMillis}: {@code restRatio} times as long, but at most a
   * quarter of {@code staleAfter}, since only a batch moves the job's heartbeat and a longer pause would
   * have a running job reported FAILED (at least 1 ms: the next batch runs from a timer).
   */
  static long restMillis(long batchMillis, double restRatio, Duration staleAfter) {
    long rest = (long) (batchMillis * restRatio);
    return Math.max(1, Math.min(rest, staleAfter.toMillis() / 4));
  }

  private void end(Job job, ImportJob.State state, Optional<RowError> failure, Promise<Void> done) {
    jobs.finish(job.id, state, failure)
        .onSuccess(v -> LOG.info("import {} ended {}", job.id, state))
        .onFailure(e -> LOG.error("import {} ended {} but that could not be recorded", job.id, state, e))
        .onComplete(ar -> done.complete());
  }

  /** Enough for the uploader to act on; database details (which may quote rows) stay in the log. */
  private static String describe(Throwable e) {
    if (e instanceof PgException pg) {
      return "the database refused a batch (SQLSTATE " + pg.getSqlState() + ")";
    }
    if (e instanceof ProblemException problem) {
      return problem.detail();
    }
    return "an internal error (" + e.getClass().getSimpleName() + ")";
  }

  /** A job in progress; touched only on the runner's context. */
  private static final class Job {

    private final UUID id;
    private final RowReader reader;
    private int storedErrors;
    private long lastLine;

    Job(UUID id, RowReader reader) {
      this.id = id;
      this.reader = reader;
    }

    /** The errors of a batch that still fit under the cap of stored errors. */
    List<RowError> keep(List<RowError> errors, int max) {
      int room = Math.max(0, max - storedErrors);
      List<RowError> kept = errors.subList(0, Math.min(room, errors.size()));
      storedErrors += kept.size();
      return kept;
    }
  }
}
