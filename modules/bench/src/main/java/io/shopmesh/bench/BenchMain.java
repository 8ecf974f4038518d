package io.shopmesh.bench;

import io.shopmesh.bench.scenarios.GatewayScenario;

/**
 * {@code ./shopmesh bench <scenario> [--rounds N] [--warmup S] [--measure S] [--callers N]
 * [--slow-rate R] [--quick]}. Scenarios: {@code gateway}.
 */
public final class BenchMain {

  private BenchMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-")) {
      System.err.println("usage: ./shopmesh bench <gateway> [--rounds N] [--warmup S] [--measure S] [--callers N]"
          + " [--slow-rate R] [--quick]");
      System.exit(2);
    }
    BenchOptions options = BenchOptions.parse(args, 1);
    switch (args[0]) {
      case "gateway" -> GatewayScenario.run(options);
      default -> {
        System.err.println("unknown scenario '" + args[0] + "'");
        System.exit(2);
      }
    }
    System.exit(0);
  }
}
