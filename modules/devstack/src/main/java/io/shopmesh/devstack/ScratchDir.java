package io.shopmesh.devstack;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A directory in the system temp dir for the servers and logs of one test JVM, test or benchmark
 * run, removed by {@link #close()}. Each holds a file with the pid of the process that made it,
 * and making a new one removes those of the same prefix whose process is gone (a JVM killed
 * before it could clean up). A PostgreSQL and Kafka pair takes hundreds of MB, so leaving them
 * behind fills the disk within a few builds.
 */
public final class ScratchDir implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ScratchDir.class);
  private static final String OWNER = "owner.pid";

  private final Path path;

  private ScratchDir(Path path) {
    this.path = path;
  }

  /**
   * A new directory named {@code prefix} plus a random suffix, readable by other users (PostgreSQL
   * runs as 'nobody' when started by root).
   */
  public static ScratchDir create(String prefix) {
    return create(Path.of(System.getProperty("java.io.tmpdir")), prefix);
  }

  static ScratchDir create(Path tmp, String prefix) {
    removeOrphans(tmp, prefix);
    try {
      Path dir = Files.createTempDirectory(tmp, prefix,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      Files.writeString(dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
      return new ScratchDir(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a directory under " + tmp, e);
    }
  }

  public Path path() {
    return path;
  }

  /** Leaves the directory in place for a person to read; later runs will not remove it. */
  public Path keep() {
    try {
      Files.deleteIfExists(path.resolve(OWNER));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return path;
  }

  /** Removes the directory and everything in it, unless {@link #keep() kept}. */
  @Override
  public void close() {
    if (Files.exists(path.resolve(OWNER))) {
      delete(path);
    }
  }

  /** Removes {@code dir} and everything in it; entries that vanish meanwhile are not an error. */
  public static void delete(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
          if (e instanceof NoSuchFileException) {
            return FileVisitResult.CONTINUE;
          }
          throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path visited, IOException e) throws IOException {
          if (e != null && !(e instanceof NoSuchFileException)) {
            throw e;
          }
          Files.deleteIfExists(visited);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException e) {
      // already gone
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + dir, e);
    }
  }

  private static void removeOrphans(Path tmp, String prefix) {
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, prefix + "*")) {
      for (Path dir : dirs) {
        Optional<Long> owner = owner(dir);
        if (owner.isPresent() && ProcessHandle.of(owner.get()).filter(ProcessHandle::isAlive).isEmpty()) {
          LOG.info("removing {}: the process {} that made it is gone", dir, owner.get());
          try {
            delete(dir);
          } catch (UncheckedIOException e) {
            LOG.warn("cannot remove {}", dir, e);
          }
        }
      }
    } catch (IOException e) {
      LOG.warn("cannot look for orphaned directories in {}", tmp, e);
    }
  }

  private static Optional<Long> owner(Path dir) {
    try {
      return Optional.of(Long.parseLong(Files.readString(dir.resolve(OWNER)).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }
}
