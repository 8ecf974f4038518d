package io.shopmesh.platform.db;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.Map;
import java.util.TreeMap;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The SQL migrations a service ships on its class path, each with the checksum Flyway records for
 * it (CRC32 over the script's lines in UTF-8, without line ends or byte-order mark), so that a
 * start can tell from the history table alone that the database is up to date, without loading
 * Flyway.
 *
 * @param scripts script path relative to its location (as Flyway's {@code script} column has it) -> checksum
 * @param plain   whether every file found is a versioned SQL migration ({@code V<version>__<description>.sql});
 *                anything else (repeatable or undo migrations, callbacks, Java migrations) is left to Flyway
 */
record BundledMigrations(Map<String, Integer> scripts, boolean plain) {

  private static final Pattern VERSIONED = Pattern.compile("V[0-9][0-9._]*__[^/]*\\.sql");

  /** Reads the migrations under {@code classpath:} locations. Blocking (class path I/O): call it from a worker. */
  static BundledMigrations read(ClassLoader loader, String... locations) {
    Map<String, Integer> scripts = new TreeMap<>();
    boolean plain = true;
    for (String location : locations) {
      if (!location.startsWith("classpath:")) {
        return new BundledMigrations(Map.of(), false);
      }
      String folder = location.substring("classpath:".length()).replaceAll("^/+|/+$", "");
      try {
        Enumeration<URL> roots = loader.getResources(folder);
        while (roots.hasMoreElements()) {
          Map<String, byte[]> files = files(roots.nextElement(), folder);
          if (files == null) {
            return new BundledMigrations(Map.of(), false);
          }
          for (Map.Entry<String, byte[]> file : files.entrySet()) {
            String name = file.getKey().substring(file.getKey().lastIndexOf('/') + 1);
            plain &= VERSIONED.matcher(name).matches();
            if (scripts.put(file.getKey(), checksum(file.getValue())) != null) {
              plain = false;
            }
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the migrations in " + location, e);
      }
    }
    return new BundledMigrations(scripts, plain);
  }

  /** Flyway's checksum of one SQL script (its {@code ChecksumCalculator}). */
  static int checksum(byte[] script) {
    CRC32 crc = new CRC32();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(script),
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null; line = lines.readLine()) {
        if (line.startsWith("\uFEFF")) {
          line = line.substring(1);
        }
        crc.update(line.getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return (int) crc.getValue();
  }

  /** The files under {@code root} (a folder, or a folder in a jar) by path relative to it; null for other roots. */
  private static Map<String, byte[]> files(URL root, String folder) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    if ("jar".equals(root.getProtocol())) {
      JarURLConnection connection = (JarURLConnection) root.openConnection();
      connection.setUseCaches(false);
      try (JarFile jar = connection.getJarFile()) {
        String prefix = folder + "/";
        for (Enumeration<JarEntry> entries = jar.entries(); entries.hasMoreElements(); ) {
          JarEntry entry = entries.nextElement();
          if (!entry.isDirectory() && entry.getName().startsWith(prefix)) {
            try (InputStream in = jar.getInputStream(entry)) {
              files.put(entry.getName().substring(prefix.length()), in.readAllBytes());
            }
          }
        }
      }
    } else if ("file".equals(root.getProtocol())) {
      Path base;
      try {
        base = Path.of(root.toURI());
      } catch (URISyntaxException e) {
        throw new IOException(e);
      }
      try (Stream<Path> walk = Files.walk(base)) {
        for (Path file : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
          files.put(base.relativize(file).toString().replace('\\', '/'), Files.readAllBytes(file));
        }
      }
    } else {
      // some other class path (a custom loader): what is found here cannot be trusted to be complete
      return null;
    }
    return files;
  }
}
