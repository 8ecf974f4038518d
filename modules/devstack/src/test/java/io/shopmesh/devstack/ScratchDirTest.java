package io.shopmesh.devstack;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ScratchDirTest {

  @Test
  @DisplayName("close removes the directory with everything in it")
  void closeRemovesTree(@TempDir Path tmp) throws Exception {
    Path path;
    try (ScratchDir dir = ScratchDir.create(tmp, "scratch-")) {
      path = dir.path();
      assertThat(path.getParent()).isEqualTo(tmp);
      assertThat(path.getFileName().toString()).startsWith("scratch-");
      Files.createDirectories(path.resolve("postgres/base/1"));
      Files.writeString(path.resolve("postgres/base/1/2618"), "x".repeat(10_000));
      Files.writeString(path.resolve("kafka.log"), "started");
    }
    assertThat(path).doesNotExist();
  }

  @Test
  @DisplayName("a new directory removes those whose process is gone, and leaves live and kept ones alone")
  void removesOrphans(@TempDir Path tmp) throws Exception {
    ScratchDir live = ScratchDir.create(tmp, "scratch-");
    ScratchDir kept = ScratchDir.create(tmp, "scratch-");
    kept.keep();
    Path orphan = Files.createDirectory(tmp.resolve("scratch-orphan"));
    Files.createDirectories(orphan.resolve("kafka/events-0"));
    Files.writeString(orphan.resolve("owner.pid"), Long.toString(deadPid()));
    Path otherPrefix = Files.createDirectory(tmp.resolve("other-orphan"));
    Files.writeString(otherPrefix.resolve("owner.pid"), Long.toString(deadPid()));

    try (ScratchDir fresh = ScratchDir.create(tmp, "scratch-")) {
      assertThat(orphan).doesNotExist();
      assertThat(live.path()).isDirectory();
      assertThat(kept.path()).isDirectory();
      assertThat(otherPrefix).isDirectory();
      assertThat(fresh.path()).isDirectory();
    }
    kept.close();
    assertThat(kept.path()).as("a kept directory is left for a person to read").isDirectory();
    live.close();
    assertThat(live.path()).doesNotExist();
  }

  private static long deadPid() throws Exception {
    Process process = new ProcessBuilder("true").start();
    process.waitFor();
    return process.pid();
  }
}
