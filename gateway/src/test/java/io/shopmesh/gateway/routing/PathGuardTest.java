package io.shopmesh.gateway.routing;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** The request-target rules at their edges (the HTTP-level cases are in GatewayRoutingTest). */
class PathGuardTest {

  @ParameterizedTest
  @ValueSource(strings = {"/", "/api/orders", "/api/orders/", "/api/products/A-1?page=2", "/a/.b/..c/...",
      "/api/x?next=//..%2f", "/api/x%2", "/api/x%", "/api/x%20y", "/api/x%3F"})
  @DisplayName("targets without empty, dot or encoded-separator segments pass, whatever the query holds")
  void accepted(String target) {
    assertThat(PathGuard.reject(target)).isNull();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "api/orders|origin-form",
      "http://x/api|origin-form",
      "//api/orders|empty path segments",
      "/api//orders|empty path segments",
      "/api/orders\\x|backslashes",
      "/api/%2e%2e/orders|encoded dots",
      "/api/%2E|encoded dots",
      "/api/a%2Fb|encoded dots",
      "/api/a%5cb|encoded dots",
      "/api/a%00|encoded dots",
      "/api/a%25|encoded dots",
      "/api/./orders|dot segments",
      "/api/..|dot segments",
      "/..|dot segments",
      "/api/a\u0001b|control characters",
      "/api/a?b=c\u007f|control characters"})
  @DisplayName("each refused kind of target is named in the refusal")
  void refused(String target, String reason) {
    assertThat(PathGuard.reject(target)).contains(reason);
  }
}
