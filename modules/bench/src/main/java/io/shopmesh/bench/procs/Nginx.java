package io.shopmesh.bench.procs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** nginx as a reverse proxy (baseline (d)), when the Debian package is installed. */
public final class Nginx {

  private static final Path BINARY = Path.of("/usr/sbin/nginx");

  private Nginx() {
  }

  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /** nginx on {@code port} proxying to the upstream with keep-alive connections, access log on (as the gateway's). */
  public static ChildProcess start(Path dir, int port, int upstreamPort) {
    try {
      Files.createDirectories(dir.resolve("logs"));
      String conf = """
          worker_processes %d;
          daemon off;
          pid %s/nginx.pid;
          error_log %s/logs/error.log warn;
          events { worker_connections 4096; }
          http {
            access_log %s/logs/access.log combined buffer=64k;
            client_body_temp_path %s/body;
            proxy_temp_path %s/proxy;
            upstream shopmesh { server 127.0.0.1:%d; keepalive 64; }
            server {
              listen 127.0.0.1:%d;
              location / {
                proxy_pass http://shopmesh;
                proxy_http_version 1.1;
                proxy_set_header Connection "";
              }
            }
          }
          """.formatted(Runtime.getRuntime().availableProcessors(), dir, dir, dir, dir, dir, upstreamPort, port);
      Path file = Files.writeString(dir.resolve("nginx.conf"), conf);
      return ChildProcess.start("nginx", List.of(BINARY.toString(), "-p", dir.toString(), "-c", file.toString()),
          Map.of(), dir.resolve("logs/stdout.log"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
