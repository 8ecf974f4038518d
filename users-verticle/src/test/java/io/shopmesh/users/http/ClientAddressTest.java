package io.shopmesh.users.http;

import io.shopmesh.platform.config.ConfigException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClientAddressTest {

  @Test
  @DisplayName("trusted proxies are single addresses or CIDR ranges, IPv4 or IPv6")
  void trustedProxies() {
    ClientAddress addresses = new ClientAddress(List.of("127.0.0.1", "10.42.0.0/16", "fd00::/8"));
    assertThat(addresses.trusted("127.0.0.1")).isTrue();
    assertThat(addresses.trusted("127.0.0.2")).isFalse();
    assertThat(addresses.trusted("10.42.7.9")).isTrue();
    assertThat(addresses.trusted("10.43.0.1")).isFalse();
    assertThat(addresses.trusted("fd12:3456::1")).isTrue();
    assertThat(addresses.trusted("2001:db8::1")).isFalse();
    assertThat(addresses.trusted("gateway.internal")).as("never a DNS lookup").isFalse();
    assertThat(new ClientAddress(List.of()).trusted("127.0.0.1")).isFalse();
  }

  @Test
  @DisplayName("an entry that is not an address or range stops the start with a message naming the key")
  void invalidEntries() {
    for (String bad : List.of("gateway.internal", "10.0.0.0/33", "10.0.0.0/x", "")) {
      assertThatThrownBy(() -> new ClientAddress(List.of(bad))).as(bad)
          .isInstanceOf(ConfigException.class).hasMessageContaining("login.trustedProxies");
    }
  }
}
