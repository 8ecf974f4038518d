package io.shopmesh.gateway.routing;

import java.util.Locale;

/**
 * Refuses request targets that could make a path mean one thing to the gateway and another to
 * an upstream: absolute-form targets, empty or dot segments, backslashes, encoded dots and
 * slashes, NUL and control characters. What passes is forwarded exactly as it was matched.
 */
public final class PathGuard {

  private PathGuard() {
  }

  /** Why {@code uri} (the raw request target) is refused, or null when it is acceptable. */
  public static String reject(String uri) {
    if (uri == null || !uri.startsWith("/")) {
      return "only origin-form request targets (starting with '/') are accepted";
    }
    int query = uri.indexOf('?');
    String path = query < 0 ? uri : uri.substring(0, query);
    String lower = path.toLowerCase(Locale.ROOT);
    if (path.contains("//") || path.contains("\\")) {
      return "empty path segments and backslashes are not accepted";
    }
    if (lower.contains("%2e") || lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00")
        || lower.contains("%25")) {
      return "encoded dots, slashes, backslashes, percent signs and NUL are not accepted in paths";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        return "dot segments are not accepted in paths";
      }
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c < 0x21 || c == 0x7f) {
        return "control characters and spaces are not accepted in request targets";
      }
    }
    return null;
  }
}
