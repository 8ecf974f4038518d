package io.shopmesh.devstack;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code shopmesh dev}: starts the whole mesh (or its infrastructure only), prints where it is and
 * runs until Ctrl-C or SIGTERM, which stop everything. Exit codes: 2 for a bad command line,
 * 1 when the stack cannot start.
 */
public final class DevStackMain {

  private static final Logger LOG = LoggerFactory.getLogger(DevStackMain.class);

  private DevStackMain() {
  }

  public static void main(String[] args) throws InterruptedException {
    DevStackArgs.Parsed parsed;
    try {
      parsed = DevStackArgs.parse(args, DevStackOptions.defaults());
    } catch (DevStackArgs.UsageException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (parsed.help()) {
      System.out.println(DevStackArgs.USAGE);
      return;
    }
    long begin = System.nanoTime();
    DevStack stack = new DevStack(parsed.options(), new DemoCatalog())
        .withClassArchives(parsed.options().stateDir().resolve("cds"));
    try {
      stack.start();
    } catch (DevStackException e) {
      LOG.error(e.getMessage());
      System.exit(1);
    } catch (RuntimeException e) {
      LOG.error("the stack did not start: {}", e.getMessage(), e);
      System.exit(1);
    }
    ShutdownSequence.register("shopmesh dev", () -> {
      LOG.info("stopping");
      stack.stop();
      LOG.info("stopped");
    });
    System.out.println(Banner.of(stack.endpoints(), stack.endpointsFile()));
    String what = parsed.options().infraOnly() ? "infrastructure" : "mesh";
    LOG.info("{} ready in {} s", what, String.format(Locale.ROOT, "%.1f", (System.nanoTime() - begin) / 1e9));
    new CountDownLatch(1).await();
  }
}
