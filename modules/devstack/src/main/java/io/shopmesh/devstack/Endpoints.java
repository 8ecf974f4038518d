package io.shopmesh.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where everything of a running dev stack is, as written to {@code endpoints.json} (mode 600: it
 * holds the dev passwords). With {@code --infra-only} no service runs: {@code gateway} is null and
 * {@code services} is empty.
 *
 * @param gateway the gateway's base URL, e.g. {@code http://127.0.0.1:8080}
 * @param services each service's base URL by service name
 * @param kafka the broker
 * @param databases each service's database by service name
 * @param redis the Redis server
 * @param admin the admin account the users service creates at startup
 */
public record Endpoints(
    String gateway,
    Map<String, Service> services,
    Kafka kafka,
    Map<String, Database> databases,
    Redis redis,
    Admin admin) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A service's base URL. */
  public record Service(String url) {
  }

  /** A Kafka bootstrap address, {@code 127.0.0.1:<port>}. */
  public record Kafka(String bootstrap) {
  }

  /** A libpq URL without the password (e.g. {@code postgresql://users@127.0.0.1:54320/users}) and the password. */
  public record Database(String url, String password) {
  }

  /** {@code redis://127.0.0.1:<port>} */
  public record Redis(String url) {
  }

  /** The seeded admin account. */
  public record Admin(String email, String password) {
  }

  /** What a stack started with {@code options} on {@code infra} offers; no services with infra-only. */
  static Endpoints of(DevStackOptions options, Infrastructure infra, Secrets secrets) {
    Map<String, Service> services = new LinkedHashMap<>();
    if (!options.infraOnly()) {
      for (MeshService service : MeshService.values()) {
        services.put(service.serviceName(), new Service(service.url(options)));
      }
    }
    Map<String, Database> databases = new LinkedHashMap<>();
    infra.databases().forEach((service, db) ->
        databases.put(service.serviceName(), new Database(db.url(), db.password())));
    return new Endpoints(
        options.infraOnly() ? null : MeshService.GATEWAY.url(options),
        services,
        new Kafka(infra.kafka().bootstrap()),
        databases,
        new Redis(infra.redis().url()),
        new Admin(secrets.adminEmail(), secrets.adminPassword()));
  }

  /** Reads an {@code endpoints.json} written by a running stack. */
  public static Endpoints read(Path file) {
    try {
      return JSON.readValue(file.toFile(), Endpoints.class);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Pretty-printed JSON, mode 600. */
  public void write(Path file) {
    try {
      PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this) + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
