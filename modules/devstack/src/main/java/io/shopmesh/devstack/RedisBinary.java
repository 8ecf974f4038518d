package io.shopmesh.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import redis.embedded.core.ExecutableProvider;
import redis.embedded.model.OsArchitecture;

/**
 * The redis-server binary shipped inside the embedded-redis jar, extracted once per machine.
 *
 * <p>embedded-redis would copy its 10 MB binary into a new temporary directory on every start;
 * here it goes to one fixed path, written under a temporary name and renamed, so concurrent JVMs
 * never run a half-written file.
 */
final class RedisBinary {

  private static Path extracted;

  private RedisBinary() {
  }

  static synchronized Path path() {
    if (extracted == null) {
      extracted = extract();
    }
    return extracted;
  }

  private static Path extract() {
    String resource = ExecutableProvider.newProvidedVersionsMap().get(OsArchitecture.detectOSandArchitecture());
    if (resource == null) {
      throw new DevStackException("embedded-redis has no Redis binary for this operating system");
    }
    Path dir = Path.of(System.getProperty("java.io.tmpdir"), "shopmesh-redis");
    Path target = dir.resolve(resource.substring(resource.lastIndexOf('/') + 1));
    try (InputStream in = ExecutableProvider.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new DevStackException("Redis binary " + resource + " is missing from the embedded-redis jar");
      }
      byte[] binary = in.readAllBytes();
      if (Files.isExecutable(target) && Files.size(target) == binary.length) {
        return target;
      }
      Files.createDirectories(dir);
      Path partial = Files.createTempFile(dir, "redis-server", ".partial",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
      Files.write(partial, binary);
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot extract the Redis binary to " + target, e);
    }
  }
}
