package io.shopmesh.gateway.proxy;

import io.vertx.core.MultiMap;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Headers a client must not be able to set on the way to a service: identity claims (services
 * read identity only from the verified token, but defence in depth costs nothing) and forwarding
 * information, which the gateway writes itself.
 */
final class ForwardedHeaders {

  private static final List<String> IDENTITY_PREFIXES = List.of(
      "x-user", "x-auth", "x-identity", "x-roles", "x-remote-user", "x-forwarded-user", "remote-user",
      "x-shopmesh-", "x-client-id", "x-consumer-");
  private static final List<String> FORWARDING = List.of("forwarded", "x-forwarded-for", "x-forwarded-proto",
      "x-forwarded-host", "x-forwarded-port", "x-real-ip");

  private ForwardedHeaders() {
  }

  /** Removes client-sent identity and forwarding headers, then sets the gateway's own. */
  static void rewrite(MultiMap headers, String clientIp, boolean tls, String requestId) {
    removeConnectionListed(headers);
    List<String> untrusted = null;
    for (Map.Entry<String, String> header : headers) {
      if (isUntrusted(header.getKey())) {
        if (untrusted == null) {
          untrusted = new ArrayList<>(2);
        }
        untrusted.add(header.getKey());
      }
    }
    if (untrusted != null) {
      untrusted.forEach(headers::remove);
    }
    headers.set("X-Forwarded-For", clientIp);
    headers.set("X-Forwarded-Proto", tls ? "https" : "http");
    headers.set("X-Request-Id", requestId);
  }

  /**
   * Removes the headers a {@code Connection} header declares hop-by-hop (RFC 9110 7.6.1); the
   * proxy library removes only the standard ones.
   */
  static void removeConnectionListed(MultiMap headers) {
    if (!headers.contains("Connection")) {
      return;
    }
    for (String connection : headers.getAll("Connection")) {
      for (String token : connection.split(",")) {
        String name = token.trim();
        if (!name.isEmpty()) {
          headers.remove(name);
        }
      }
    }
  }

  /** Compared without copying the name: this runs for every header of every request. */
  private static boolean isUntrusted(String name) {
    for (String forwarding : FORWARDING) {
      if (forwarding.equalsIgnoreCase(name)) {
        return true;
      }
    }
    for (String prefix : IDENTITY_PREFIXES) {
      if (name.regionMatches(true, 0, prefix, 0, prefix.length())) {
        return true;
      }
    }
    return false;
  }
}
