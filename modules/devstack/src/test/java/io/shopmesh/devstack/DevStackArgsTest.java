package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class DevStackArgsTest {

  private static final DevStackOptions DEFAULTS = new DevStackOptions(Path.of("/repo"), Path.of("/repo/.shopmesh/data"),
      false, 8080, 8081, 8082, 8083, 54320, 63790, 19092, 19093, false);

  @Test
  @DisplayName("flags override the defaults they name and leave the others alone")
  void flags() {
    DevStackOptions options = DevStackArgs.parse(new String[] {"dev", "--fresh", "--infra-only", "--data", "/tmp/d",
        "--gateway-port", "9080", "--kafka-controller-port", "29093"}, DEFAULTS).options();

    assertThat(options).isEqualTo(new DevStackOptions(Path.of("/repo"), Path.of("/tmp/d"), true,
        9080, 8081, 8082, 8083, 54320, 63790, 19092, 29093, true));
  }

  @Test
  @DisplayName("--help asks for the usage line")
  void help() {
    assertThat(DevStackArgs.parse(new String[] {"--help"}, DEFAULTS).help()).isTrue();
    assertThat(DevStackArgs.parse(new String[] {"dev", "--help"}, DEFAULTS).help()).isTrue();
  }

  @Test
  @DisplayName("an unknown flag, a missing value or a bad port is one clear line plus the usage")
  void mistakes() {
    assertThatThrownBy(() -> DevStackArgs.parse(new String[] {"dev", "--turbo"}, DEFAULTS))
        .hasMessageStartingWith("unknown option: --turbo\nusage: shopmesh dev");
    assertThatThrownBy(() -> DevStackArgs.parse(new String[] {"dev", "--pg-port"}, DEFAULTS))
        .hasMessageStartingWith("--pg-port needs a value");
    assertThatThrownBy(() -> DevStackArgs.parse(new String[] {"dev", "--pg-port", "70000"}, DEFAULTS))
        .hasMessageStartingWith("--pg-port needs a port number between 1 and 65535, not '70000'");
    assertThatThrownBy(() -> DevStackArgs.parse(new String[] {"up"}, DEFAULTS))
        .hasMessageStartingWith("unknown command: up");
  }
}
