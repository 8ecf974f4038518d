package io.shopmesh.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class BannerTest {

  @Test
  @DisplayName("the example register call sends a name (the users API requires one) and the login call does not")
  void exampleCalls() {
    Endpoints endpoints = new Endpoints("http://127.0.0.1:8080", Map.of(), new Endpoints.Kafka("127.0.0.1:19092"),
        Map.of(), new Endpoints.Redis("redis://127.0.0.1:63790"), new Endpoints.Admin("admin@shopmesh.local", "pw"));
    String banner = Banner.of(endpoints, Path.of("/repo/.shopmesh/endpoints.json"));
    String register = banner.lines().filter(l -> l.contains("/api/auth/register")).findFirst().orElseThrow();
    String login = banner.lines().filter(l -> l.contains("/api/auth/login")).findFirst().orElseThrow();
    assertThat(register).contains("\"email\":\"ada@example.com\"", "\"name\":\"Ada Lovelace\"");
    assertThat(login).contains("\"email\":\"ada@example.com\"").doesNotContain("\"name\"");
  }
}
