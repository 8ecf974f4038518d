package io.shopmesh.platform;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@link ProbeService} in its own JVM. */
public final class ProbeProcess implements AutoCloseable {

  private static final Pattern READY = Pattern.compile("probe ready on port (\\d+)");
  private final ChildJvm child;

  private ProbeProcess(ChildJvm child) {
    this.child = child;
  }

  public static ProbeProcess start(List<String> args, Map<String, String> env, Map<String, String> sysProps)
      throws IOException {
    return new ProbeProcess(ChildJvm.start(ProbeService.class, args, env, sysProps));
  }

  /** Waits for the "ready" log line and returns the port it names. */
  public int awaitReadyPort() throws InterruptedException {
    String line = child.awaitStdout(l -> READY.matcher(l).find(), Duration.ofSeconds(30));
    Matcher m = READY.matcher(line);
    m.find();
    return Integer.parseInt(m.group(1));
  }

  public ChildJvm child() {
    return child;
  }

  @Override
  public void close() {
    child.close();
  }
}
