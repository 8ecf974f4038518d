package io.shopmesh.platform.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.shopmesh.platform.errors.ProblemException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;

import java.util.Map;
import java.util.UUID;

/**
 * Answers requests the HTTP codec could not even parse (a request line or header block over the
 * limits, a malformed head) with a problem document, like every other error, instead of Vert.x's
 * empty default answer; the connection is closed after it, as the request's framing is unknown.
 */
final class InvalidRequests implements Handler<HttpServerRequest> {

  @Override
  public void handle(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    HttpResponseStatus status = HttpResponseStatus.BAD_REQUEST;
    String detail = "the request could not be parsed as HTTP";
    if (cause instanceof TooLongFrameException && cause.getMessage() != null) {
      if (cause.getMessage().startsWith("An HTTP line is larger than")) {
        status = HttpResponseStatus.REQUEST_URI_TOO_LONG;
        detail = "the request line (method and target) is too long";
      } else if (cause.getMessage().startsWith("HTTP header is larger than")) {
        status = HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE;
        detail = "the request headers are too large";
      }
    }
    ProblemException problem = new ProblemException(status.code(), status.reasonPhrase(), detail, null, Map.of());
    request.response().setStatusCode(status.code())
        .putHeader(HttpHeaders.CONTENT_TYPE, ProblemHandler.CONTENT_TYPE)
        .putHeader(HttpHeaders.CONNECTION, "close")
        .end(ProblemHandler.document(problem, "", UUID.randomUUID().toString()).toBuffer())
        .onComplete(v -> request.connection().close());
  }
}
