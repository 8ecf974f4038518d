package io.shopmesh.platform.config;

import io.vertx.config.ConfigRetriever;
import io.vertx.config.ConfigRetrieverOptions;
import io.vertx.config.ConfigStoreOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a service's configuration once at start-up with Vert.x {@link ConfigRetriever}: the
 * YAML file ({@code --conf PATH}, else {@code conf/<service>.yaml} when it exists), the
 * environment and the system properties, each from its own store so {@link Settings} can apply
 * the precedence file &lt; env &lt; -D key by key.
 */
public final class ConfigLoader {

  private ConfigLoader() {
  }

  /**
   * @param explicitFile the file named by {@code --conf}; it must exist. When null, the default
   *                     {@code conf/<service>.yaml} is used if present.
   */
  public static Future<Settings> load(Vertx vertx, String service, Path explicitFile) {
    Path file = explicitFile != null ? explicitFile : Path.of("conf", service + ".yaml");
    if (explicitFile != null && !Files.isRegularFile(explicitFile)) {
      return Future.failedFuture(new ConfigException("config file " + explicitFile + " (given by --conf) does not exist"));
    }
    Future<JsonObject> fromFile = Files.isRegularFile(file)
        ? read(vertx, new ConfigStoreOptions().setType("file").setFormat("yaml")
            .setConfig(new JsonObject().put("path", file.toAbsolutePath().toString())))
            .recover(e -> Future.failedFuture(new ConfigException("config file " + file + " cannot be read: "
                + e.getMessage())))
        : Future.succeededFuture(new JsonObject());
    Future<JsonObject> fromEnv = read(vertx, new ConfigStoreOptions().setType("env")
        .setConfig(new JsonObject().put("raw-data", true)));
    Future<JsonObject> fromSys = read(vertx, new ConfigStoreOptions().setType("sys")
        .setConfig(new JsonObject().put("raw-data", true).put("cache", false)));
    return Future.all(fromFile, fromEnv, fromSys)
        .map(all -> new Settings(fromFile.result(), fromEnv.result(), fromSys.result(), file.toString()));
  }

  private static Future<JsonObject> read(Vertx vertx, ConfigStoreOptions store) {
    ConfigRetriever retriever = ConfigRetriever.create(vertx,
        new ConfigRetrieverOptions().setScanPeriod(-1).addStore(store).setIncludeDefaultStores(false));
    return retriever.getConfig().eventually(retriever::close);
  }
}
