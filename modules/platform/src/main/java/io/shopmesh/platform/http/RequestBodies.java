package io.shopmesh.platform.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/** What a request's head says about its body. */
public final class RequestBodies {

  private RequestBodies() {
  }

  /**
   * Whether a body may still follow the head: an HTTP/1 request without {@code Content-Length} (or with
   * {@code Content-Length: 0}) and without {@code Transfer-Encoding} has none (RFC 9112 6.3), so it ends with
   * its head (most GETs). HTTP/2 streams say it with their frames instead: maybe.
   */
  public static boolean mayHaveBody(HttpServerRequest request) {
    if (request.version() == HttpVersion.HTTP_2) {
      return true;
    }
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    return length != null && !length.trim().equals("0") || request.headers().contains(HttpHeaders.TRANSFER_ENCODING);
  }
}
