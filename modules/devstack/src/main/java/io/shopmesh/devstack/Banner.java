package io.shopmesh.devstack;

import java.nio.file.Path;

/** The text shown once the stack is ready: where to point a browser or curl, and how to stop. */
final class Banner {

  private Banner() {
  }

  static String of(Endpoints e, Path endpointsFile) {
    StringBuilder text = new StringBuilder("\n");
    if (e.gateway() == null) {
      String someDatabase = e.databases().values().iterator().next().url();
      String postgres = someDatabase.substring(someDatabase.indexOf('@') + 1, someDatabase.lastIndexOf('/'));
      text.append("  Shopmesh infrastructure is up (no services: --infra-only)\n")
          .append("  PostgreSQL  ").append(postgres)
          .append("  (databases and roles: ").append(String.join(", ", e.databases().keySet())).append(")\n")
          .append("  Redis       ").append(e.redis().url()).append('\n')
          .append("  Kafka       ").append(e.kafka().bootstrap()).append('\n');
    } else {
      String gw = e.gateway();
      String json = "-H 'content-type: application/json'";
      String register = json + " -d '{\"email\":\"ada@example.com\",\"password\":\"correct horse battery staple\","
          + "\"name\":\"Ada Lovelace\"}'";
      String login = json + " -d '{\"email\":\"ada@example.com\",\"password\":\"correct horse battery staple\"}'";
      text.append("  Shopmesh is up\n")
          .append("  Gateway     ").append(gw).append('\n')
          .append("  API docs    ").append(gw).append("/docs\n")
          .append("  Admin       ").append(e.admin().email()).append(" / ").append(e.admin().password()).append('\n')
          .append("\n  Try:\n")
          .append("    curl -s -X POST ").append(gw).append("/api/auth/register ").append(register).append('\n')
          .append("    curl -s -X POST ").append(gw).append("/api/auth/login ").append(login).append('\n')
          .append("    curl -s ").append(gw).append("/api/products\n");
    }
    return text.append("\n  Endpoints and passwords: ").append(endpointsFile).append('\n')
        .append("  Ctrl-C to stop\n").toString();
  }
}
