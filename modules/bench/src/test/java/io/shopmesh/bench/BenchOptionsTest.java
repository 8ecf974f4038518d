package io.shopmesh.bench;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BenchOptionsTest {

  @Test
  @DisplayName("--compare-flags gives a compared build its own JVM flags; the others get none")
  void compareFlags() {
    BenchOptions options = BenchOptions.parse(new String[] {"footprint", "--compare", "tuned=.", "--compare", "head=/tmp/h",
        "--compare-flags", "tuned=-XX:Tier4InvocationThreshold=20000  -Xss512k"}, 1);

    assertThat(options.flagsOf("tuned")).containsExactly("-XX:Tier4InvocationThreshold=20000", "-Xss512k");
    assertThat(options.flagsOf("head")).isEmpty();
    assertThat(options.compare().get("tuned")).isEqualTo(Path.of(".").toAbsolutePath());
  }

  @Test
  @DisplayName("--rate sets the orders rounds' rate (none by default: the ladder finds it); below 1 is refused")
  void rate() {
    assertThat(BenchOptions.parse(new String[] {"orders", "--rate", "25"}, 1).rate()).isEqualTo(25);
    assertThat(BenchOptions.parse(new String[] {"orders"}, 1).rate()).isZero();
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"orders", "--rate", "0"}, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--rate");
  }

  @Test
  @DisplayName("--compare-flags names a build given by --compare and takes only JVM flags")
  void compareFlagsRefused() {
    for (List<String> args : List.of(
        List.of("--compare-flags", "tuned=-Xss512k"),
        List.of("--compare", "tuned=.", "--compare-flags", "tuned="),
        List.of("--compare", "tuned=.", "--compare-flags", "tuned=Xss512k"),
        List.of("--compare", "tuned=.", "--compare-flags", "=-Xss512k"))) {
      String[] argv = Stream.concat(Stream.of("footprint"), args.stream()).toArray(String[]::new);
      assertThatThrownBy(() -> BenchOptions.parse(argv, 1)).as(String.join(" ", args))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--compare-flags");
    }
  }
}
