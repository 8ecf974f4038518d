package io.shopmesh.platform.db;

import org.flywaydb.core.internal.resolver.ChecksumCalculator;
import org.flywaydb.core.internal.resource.StringResource;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a start compares the history table with: the shipped scripts, as Flyway would checksum them. */
class BundledMigrationsTest {

  private static final String V1 = "\uFEFF-- first\r\nCREATE TABLE a (id int);\r\n";
  private static final String V2 = "CREATE TABLE b (name text DEFAULT 'größe');\n\n-- no line end at the end";

  @ParameterizedTest
  @ValueSource(strings = {V1, V2, "", "\n", "one line", "ends\r", "mixed\nline\r\nends\r"})
  @DisplayName("the checksum is Flyway's for byte-order marks, CRLF and LF, empty lines and a missing last line end")
  void checksumIsFlyways(String script) {
    assertThat(BundledMigrations.checksum(script.getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(ChecksumCalculator.calculate(new StringResource(script)));
  }

  @Test
  @DisplayName("scripts are found in a folder and in a jar, by their path under the location, nested folders too")
  void foldersAndJars(@TempDir Path dir) throws IOException {
    Path folder = dir.resolve("classes");
    write(folder.resolve("db/migration/V1__first.sql"), V1);
    write(folder.resolve("db/migration/more/V2__second.sql"), V2);
    Path jar = dir.resolve("service.jar");
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      add(out, "db/migration/", null);
      add(out, "db/migration/V1__first.sql", V1);
      add(out, "db/migration/more/V2__second.sql", V2);
      add(out, "db/other/V9__elsewhere.sql", "SELECT 1;");
    }
    Map<String, Integer> expected = Map.of("V1__first.sql", BundledMigrations.checksum(bytes(V1)),
        "more/V2__second.sql", BundledMigrations.checksum(bytes(V2)));

    BundledMigrations fromFolder = read(folder, "classpath:db/migration");
    assertThat(fromFolder.plain()).isTrue();
    assertThat(fromFolder.scripts()).isEqualTo(expected);
    BundledMigrations fromJar = read(jar, "classpath:db/migration");
    assertThat(fromJar.plain()).isTrue();
    assertThat(fromJar.scripts()).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(strings = {"R__view.sql", "U1__undo.sql", "V1__first.sql.conf", "afterMigrate.sql", "V3__java.java",
      "v3__lower.sql"})
  @DisplayName("anything but versioned SQL scripts is left to Flyway")
  void onlyVersionedScriptsArePlain(String other, @TempDir Path dir) throws IOException {
    write(dir.resolve("db/migration/V1__first.sql"), V1);
    write(dir.resolve("db/migration/" + other), "SELECT 1;");
    assertThat(read(dir, "classpath:db/migration").plain()).isFalse();
  }

  @Test
  @DisplayName("the same script under two class path roots, or a location outside the class path, is left to Flyway")
  void ambiguousOrForeign(@TempDir Path dir) throws IOException {
    write(dir.resolve("a/db/migration/V1__first.sql"), V1);
    write(dir.resolve("b/db/migration/V1__first.sql"), V1);
    try (URLClassLoader loader = new URLClassLoader(new URL[] {dir.resolve("a").toUri().toURL(),
        dir.resolve("b").toUri().toURL()}, null)) {
      assertThat(BundledMigrations.read(loader, "classpath:db/migration").plain()).isFalse();
      assertThat(BundledMigrations.read(loader, "filesystem:/tmp/db").plain()).isFalse();
    }
  }

  private static BundledMigrations read(Path root, String location) throws IOException {
    try (URLClassLoader loader = new URLClassLoader(new URL[] {root.toUri().toURL()}, null)) {
      return BundledMigrations.read(loader, location);
    }
  }

  private static void write(Path file, String content) throws IOException {
    Files.createDirectories(file.getParent());
    Files.write(file, bytes(content));
  }

  private static void add(JarOutputStream jar, String name, String content) throws IOException {
    jar.putNextEntry(new JarEntry(name));
    if (content != null) {
      jar.write(bytes(content));
    }
    jar.closeEntry();
  }

  private static byte[] bytes(String content) {
    return content.getBytes(StandardCharsets.UTF_8);
  }
}
