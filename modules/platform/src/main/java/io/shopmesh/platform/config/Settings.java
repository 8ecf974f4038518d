package io.shopmesh.platform.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, read-only view of one service's configuration.
 *
 * <p>Keys are dotted paths into the YAML file ({@code db.poolSize}). Each key can be overridden
 * by an environment variable ({@code SHOPMESH_DB_POOL_SIZE}: prefix, then the path in upper
 * snake case) and, above that, by a system property ({@code -Dshopmesh.db.poolSize}). Every
 * accessor either returns a valid value or throws a {@link ConfigException} whose one-line
 * message names the key, where the bad value came from and what was expected.
 */
public final class Settings {

  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(b|kb|kib|mb|mib|gb|gib)?");

  private final JsonObject file;
  private final JsonObject env;
  private final JsonObject sys;
  private final String fileName;

  Settings(JsonObject file, JsonObject env, JsonObject sys, String fileName) {
    this.file = file;
    this.env = env;
    this.sys = sys;
    this.fileName = fileName;
  }

  /** Settings from an in-memory tree only (tests, embedded use); no environment, no system properties. */
  public static Settings of(JsonObject tree) {
    return new Settings(tree.copy(), new JsonObject(), new JsonObject(), "config");
  }

  /** A copy where the given dotted keys take precedence over everything else. */
  public Settings with(JsonObject dottedOverrides) {
    JsonObject sysCopy = sys.copy();
    dottedOverrides.forEach(e -> sysCopy.put(sysName(e.getKey()), e.getValue()));
    return new Settings(file, env, sysCopy, fileName);
  }

  /** {@code db.poolSize} -> {@code SHOPMESH_DB_POOL_SIZE}. */
  public static String envName(String key) {
    return "SHOPMESH_" + key.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('.', '_').replace('-', '_')
        .toUpperCase(Locale.ROOT);
  }

  /** {@code db.poolSize} -> {@code shopmesh.db.poolSize}. */
  public static String sysName(String key) {
    return "shopmesh." + key;
  }

  public String string(String key) {
    Raw raw = raw(key).orElseThrow(() -> new ConfigException("config key '" + key + "' is required: set it in "
        + fileName + ", as env " + envName(key) + " or as -D" + sysName(key)));
    String value = raw.text();
    if (value.isBlank()) {
      throw raw.invalid("a non-empty value");
    }
    return value;
  }

  public String string(String key, String fallback) {
    return raw(key).map(Raw::text).orElse(fallback);
  }

  public Optional<String> optionalString(String key) {
    return raw(key).map(Raw::text).filter(s -> !s.isBlank());
  }

  public int integer(String key, int fallback, int min, int max) {
    return raw(key).map(raw -> {
      try {
        int value = Integer.parseInt(raw.text().trim());
        if (value >= min && value <= max) {
          return value;
        }
      } catch (NumberFormatException e) {
        // reported below with the key and the source
      }
      throw raw.invalid("an integer between " + min + " and " + max);
    }).orElse(fallback);
  }

  public int port(String key, int fallback) {
    return integer(key, fallback, 0, 65535);
  }

  public boolean bool(String key, boolean fallback) {
    return raw(key).map(raw -> switch (raw.text().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw raw.invalid("true or false");
    }).orElse(fallback);
  }

  /** Durations are written {@code 250ms}, {@code 30s}, {@code 5m}, {@code 24h}, {@code 7d}; a bare number is seconds. */
  public Duration duration(String key, Duration fallback) {
    return raw(key).map(raw -> {
      Matcher m = DURATION.matcher(raw.text().trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw raw.invalid("a duration such as 250ms, 30s, 5m or 24h");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "s" : m.group(2);
      return switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        case "d" -> Duration.ofDays(n);
        default -> Duration.ofSeconds(n);
      };
    }).orElse(fallback);
  }

  /** Sizes are written {@code 512}, {@code 64kb}, {@code 1mb} (binary multiples); a bare number is bytes. */
  public long bytes(String key, long fallback) {
    return raw(key).map(raw -> {
      Matcher m = SIZE.matcher(raw.text().trim().toLowerCase(Locale.ROOT));
      if (!m.matches()) {
        throw raw.invalid("a size such as 65536, 64kb or 1mb");
      }
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "b" : m.group(2);
      return switch (unit) {
        case "kb", "kib" -> n * 1024;
        case "mb", "mib" -> n * 1024 * 1024;
        case "gb", "gib" -> n * 1024 * 1024 * 1024;
        default -> n;
      };
    }).orElse(fallback);
  }

  /** A YAML list, or a comma-separated string (the only way to write a list in an environment variable). */
  public List<String> list(String key, List<String> fallback) {
    return raw(key).map(raw -> {
      if (raw.value() instanceof JsonArray array) {
        List<String> out = new ArrayList<>();
        array.forEach(v -> out.add(String.valueOf(v)));
        return out;
      }
      return Arrays.stream(raw.text().split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }).orElse(fallback);
  }

  /** The keys directly below {@code key} in the file (e.g. the names under {@code upstreams}). */
  public List<String> childKeys(String key) {
    Object node = fileValue(key);
    return node instanceof JsonObject obj ? List.copyOf(obj.fieldNames()) : List.of();
  }

  /** Reads a value with a custom parser; the parser throws IllegalArgumentException to reject it. */
  public <T> T parsed(String key, T fallback, String expected, Function<String, T> parser) {
    return raw(key).map(raw -> {
      try {
        return parser.apply(raw.text().trim());
      } catch (IllegalArgumentException e) {
        throw raw.invalid(expected);
      }
    }).orElse(fallback);
  }

  /** A required value read with a custom parser. */
  public <T> T parsed(String key, String expected, Function<String, T> parser) {
    string(key);
    return parsed(key, null, expected, parser);
  }

  private Optional<Raw> raw(String key) {
    Object fromSys = sys.getValue(sysName(key));
    if (fromSys != null) {
      return Optional.of(new Raw(key, fromSys, "-D" + sysName(key)));
    }
    Object fromEnv = env.getValue(envName(key));
    if (fromEnv != null) {
      return Optional.of(new Raw(key, fromEnv, "env " + envName(key)));
    }
    Object fromFile = fileValue(key);
    if (fromFile == null || fromFile instanceof JsonObject) {
      return Optional.empty();
    }
    return Optional.of(new Raw(key, fromFile, fileName));
  }

  private Object fileValue(String key) {
    Object node = file;
    for (String part : key.split("\\.")) {
      if (!(node instanceof JsonObject obj)) {
        return null;
      }
      node = obj.getValue(part);
    }
    return node;
  }

  private record Raw(String key, Object value, String source) {

    String text() {
      return String.valueOf(value);
    }

    ConfigException invalid(String expected) {
      return new ConfigException("config key '" + key + "' (from " + source + "): expected " + expected
          + ", got '" + text() + "'");
    }
  }
}
