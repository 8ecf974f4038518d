package io.shopmesh.platform.config;

/**
 * A missing or invalid configuration value. Its message is one line that names the key and
 * where it can be set, so an operator can fix it without reading code.
 */
public final class ConfigException extends RuntimeException {

  public ConfigException(String message) {
    super(message, null, false, false);
  }
}
