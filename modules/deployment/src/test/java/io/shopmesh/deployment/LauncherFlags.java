package io.shopmesh.deployment;

/**
 * The JVM flags every launcher passes (systemd units, Dockerfile, Helm chart; README, "Running a
 * service"): work pools at nice 19 below the event loops, the C2 thresholds that keep the
 * optimising JIT off code that runs only at start, and Mac kept out of the PBKDF2 loop's C2 compile.
 */
final class LauncherFlags {

  static final String PRIORITIES = "-XX:ThreadPriorityPolicy=1 -XX:JavaPriority1_To_OSPriority=19";
  static final String TIER4_INVOCATIONS = "-XX:Tier4InvocationThreshold=20000 -XX:Tier4CompileThreshold=60000";
  static final String TIER4_BACK_EDGES = "-XX:Tier4MinInvocationThreshold=2400 -XX:Tier4BackEdgeThreshold=160000";
  static final String MAC_NOT_INLINED = "-XX:CompileCommand=quiet -XX:CompileCommand=dontinline,javax/crypto/Mac.*";

  private LauncherFlags() {
  }
}
