package io.shopmesh.gateway.http;

import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.StaticHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The public API's description: {@code /openapi.json} (written by hand to match what the services
 * do, checked by a linter and by tests against real answers) and {@code /docs}, a Swagger UI page
 * served from its webjar.
 */
final class ApiDocs {

  private static final Buffer OPENAPI = resource("/openapi.json");
  private static final Buffer INDEX = resource("/docs/index.html");
  private static final Buffer INIT = resource("/docs/init.js");

  private ApiDocs() {
  }

  static void mount(Router router) {
    router.get("/openapi.json").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/json").putHeader("Cache-Control", "public, max-age=300").end(OPENAPI));
    router.get("/docs").handler(ctx -> ctx.response().putHeader("Content-Type", "text/html; charset=utf-8").end(INDEX));
    router.get("/docs/init.js").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "text/javascript; charset=utf-8").end(INIT));
    router.get("/docs/ui/*").handler(StaticHandler.create("META-INF/resources/webjars/swagger-ui/" + swaggerUiVersion())
        .setCachingEnabled(true).setDirectoryListing(false));
  }

  private static String swaggerUiVersion() {
    try (InputStream in = ApiDocs.class.getResourceAsStream("/META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version");
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the swagger-ui webjar is missing from the gateway jar", e);
    }
  }

  private static Buffer resource(String path) {
    try (InputStream in = ApiDocs.class.getResourceAsStream(path)) {
      return Buffer.buffer(in.readAllBytes());
    } catch (IOException | NullPointerException e) {
      throw new UncheckedIOException(new IOException(path + " is missing from the gateway jar", e));
    }
  }
}
