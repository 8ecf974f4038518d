package io.shopmesh.devstack;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of a log file, for error messages that say why a server did not start. */
final class LogTail {

  private static final int MAX_BYTES = 16 * 1024;

  private LogTail() {
  }

  /** Up to {@code lines} last lines of {@code file}, indented, or a note that it is empty or missing. */
  static String of(Path file, int lines) {
    if (!Files.isRegularFile(file)) {
      return "  (no log at " + file + ")";
    }
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
      long start = Math.max(0, raf.length() - MAX_BYTES);
      byte[] bytes = new byte[(int) (raf.length() - start)];
      raf.seek(start);
      raf.readFully(bytes);
      List<String> all = Arrays.asList(new String(bytes, StandardCharsets.UTF_8).split("\n"));
      List<String> last = all.subList(Math.max(0, all.size() - lines), all.size());
      return last.isEmpty() ? "  (" + file + " is empty)" : "  " + String.join("\n  ", last);
    } catch (IOException e) {
      return "  (could not read " + file + ": " + e.getMessage() + ")";
    }
  }

  /** A standard sentence for errors: where the log is and what it ends with. */
  static String explain(Path file) {
    return "last lines of " + file + ":\n" + of(file, 25);
  }
}
