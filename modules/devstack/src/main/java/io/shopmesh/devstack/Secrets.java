package io.shopmesh.devstack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;

/**
 * The dev stack's passwords (one per service database, the admin account's), generated once and
 * kept in {@code secrets.json} (mode 600) so a restart reuses the roles and accounts it made before.
 */
final class Secrets {

  static final String ADMIN_EMAIL = "admin@shopmesh.local";
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ObjectNode root;

  private Secrets(ObjectNode root) {
    this.root = root;
  }

  /** Reads {@code file}, adds whatever is missing (a password per name in {@code databases}, the admin) and saves. */
  static Secrets loadOrCreate(Path file, List<String> databases) {
    ObjectNode root = read(file);
    boolean changed = false;
    ObjectNode dbs = root.has("databases") ? (ObjectNode) root.get("databases") : root.putObject("databases");
    for (String name : databases) {
      if (!dbs.hasNonNull(name)) {
        dbs.put(name, newPassword());
        changed = true;
      }
    }
    ObjectNode admin = root.has("admin") ? (ObjectNode) root.get("admin") : root.putObject("admin");
    if (!admin.hasNonNull("password")) {
      admin.put("email", ADMIN_EMAIL);
      admin.put("password", newPassword());
      changed = true;
    }
    if (changed) {
      try {
        PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return new Secrets(root);
  }

  String databasePassword(String name) {
    return root.get("databases").get(name).asText();
  }

  String adminEmail() {
    return root.get("admin").path("email").asText(ADMIN_EMAIL);
  }

  String adminPassword() {
    return root.get("admin").get("password").asText();
  }

  private static ObjectNode read(Path file) {
    if (!Files.exists(file)) {
      return JSON.createObjectNode();
    }
    try {
      JsonNode node = JSON.readTree(file.toFile());
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw new DevStackException(file + " is not a JSON object; delete it to generate new passwords");
    } catch (IOException e) {
      throw new DevStackException("cannot read " + file + " (" + e.getMessage()
          + "); delete it to generate new passwords", e);
    }
  }

  /** 144 random bits, URL-safe so it can go into a URL or an env var unquoted. */
  private static String newPassword() {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
