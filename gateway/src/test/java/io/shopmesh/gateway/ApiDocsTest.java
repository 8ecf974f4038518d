package io.shopmesh.gateway;

import io.shopmesh.testkit.InfraExtension;
import io.shopmesh.testkit.TestEnv;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

@ExtendWith(InfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiDocsTest {

  private static final String REDOCLY = "@redocly/cli@2.77.0";
  private GatewayFixture mesh;

  @BeforeAll
  void start(TestEnv env) {
    mesh = new GatewayFixture(env, new JsonObject());
  }

  @AfterAll
  void stop() {
    mesh.close();
  }

  @Test
  @DisplayName("the gateway serves the OpenAPI 3.1 document of every public route and a docs page that loads it")
  void served() {
    HttpResponse<Buffer> openapi = mesh.gateway.client().get("/openapi.json").send().await();
    assertThat(openapi.statusCode()).isEqualTo(200);
    JsonObject doc = openapi.bodyAsJsonObject();
    assertThat(doc.getString("openapi")).isEqualTo("3.1.0");
    assertThat(doc.getJsonObject("paths").fieldNames()).contains("/api/auth/register", "/api/auth/login",
        "/api/users/me", "/api/products", "/api/products/import", "/api/orders", "/api/orders/{id}/details",
        "/.well-known/jwks.json");

    HttpResponse<Buffer> page = mesh.gateway.client().get("/docs").send().await();
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString()).contains("swagger-ui-bundle.js");
    for (String asset : List.of("/docs/ui/swagger-ui-bundle.js", "/docs/ui/swagger-ui.css", "/docs/init.js")) {
      HttpResponse<Buffer> r = mesh.gateway.client().get(asset).send().await();
      assertThat(r.statusCode()).as(asset).isEqualTo(200);
      assertThat(r.body().length()).as(asset).isGreaterThan(100);
    }
  }

  @Test
  @DisplayName("the OpenAPI document lints clean with Redocly's recommended rules (where npx is installed)")
  void lintsClean(@TempDir Path dir) throws Exception {
    Path npx = Path.of("/usr/bin/npx");
    assumeTrue(Files.isExecutable(npx), "npx is not installed");
    Path doc = Files.write(dir.resolve("openapi.json"),
        mesh.gateway.client().get("/openapi.json").send().await().body().getBytes());
    Process lint = new ProcessBuilder(npx.toString(), "--yes", REDOCLY, "lint", "--format=stylish", doc.toString())
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String output = new String(lint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(lint.waitFor(4, TimeUnit.MINUTES)).isTrue();
    assertThat(lint.exitValue()).as(output).isZero();
    assertThat(output).as(output).contains("Your API description is valid").doesNotContainPattern("You have \\d+ warning");
  }
}
