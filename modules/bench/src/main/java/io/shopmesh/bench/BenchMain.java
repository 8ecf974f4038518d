package io.shopmesh.bench;

import io.shopmesh.bench.scenarios.GatewayScenario;
import io.shopmesh.bench.scenarios.FootprintScenario;
import io.shopmesh.bench.scenarios.IsolationScenario;
import io.shopmesh.bench.scenarios.OrdersScenario;
import io.shopmesh.bench.scenarios.ProductsScenario;

/**
 * {@code ./shopmesh bench <scenario> [--rounds N] [--warmup S] [--measure S] [--callers N]
 * [--slow-rate R] [--quick] [--profile] [--env KEY=VALUE]}. Scenarios: {@code gateway}, {@code orders}, {@code products}, {@code isolation}, {@code footprint}.
 */
public final class BenchMain {

  private BenchMain() {
  }

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || args[0].startsWith("-")) {
      System.err.println("usage: ./shopmesh bench <gateway|orders|products|isolation|footprint> [--rounds N] [--warmup S] [--measure S] [--callers N]"
          + " [--slow-rate R] [--quick] [--profile] [--env KEY=VALUE]");
      System.exit(2);
    }
    BenchOptions options = BenchOptions.parse(args, 1);
    java.nio.file.Files.createDirectories(options.output());
    switch (args[0]) {
      case "gateway" -> GatewayScenario.run(options);
      case "orders" -> OrdersScenario.run(options);
      case "products" -> ProductsScenario.run(options);
      case "isolation" -> IsolationScenario.run(options);
      case "footprint" -> FootprintScenario.run(options);
      default -> {
        System.err.println("unknown scenario '" + args[0] + "'");
        System.exit(2);
      }
    }
    System.exit(0);
  }
}
