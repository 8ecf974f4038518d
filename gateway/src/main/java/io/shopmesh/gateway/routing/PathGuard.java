package io.shopmesh.gateway.routing;

/**
 * Refuses request targets that could make a path mean one thing to the gateway and another to
 * an upstream: absolute-form targets, empty or dot segments, backslashes, encoded dots and
 * slashes, NUL and control characters. What passes is forwarded exactly as it was matched.
 */
public final class PathGuard {

  private PathGuard() {
  }

  /** Why {@code uri} (the raw request target) is refused, or null when it is acceptable; copies nothing. */
  public static String reject(String uri) {
    if (uri == null || !uri.startsWith("/")) {
      return "only origin-form request targets (starting with '/') are accepted";
    }
    int end = uri.indexOf('?');
    if (end < 0) {
      end = uri.length();
    }
    boolean emptyOrBackslash = false;
    boolean encoded = false;
    boolean dotSegment = false;
    int segment = 1;
    for (int i = 1; i <= end; i++) {
      char c = i < end ? uri.charAt(i) : '/';
      if (c == '/') {
        int length = i - segment;
        if (length == 0 && i < end) {
          emptyOrBackslash = true;
        } else if ((length == 1 || length == 2) && uri.charAt(segment) == '.'
            && (length == 1 || uri.charAt(segment + 1) == '.')) {
          dotSegment = true;
        }
        segment = i + 1;
      } else if (c == '\\') {
        emptyOrBackslash = true;
      } else if (c == '%' && i + 2 < end && forbiddenEscape(uri.charAt(i + 1), uri.charAt(i + 2))) {
        encoded = true;
      }
    }
    if (emptyOrBackslash) {
      return "empty path segments and backslashes are not accepted";
    }
    if (encoded) {
      return "encoded dots, slashes, backslashes, percent signs and NUL are not accepted in paths";
    }
    if (dotSegment) {
      return "dot segments are not accepted in paths";
    }
    for (int i = 0; i < uri.length(); i++) {
      char c = uri.charAt(i);
      if (c < 0x21 || c == 0x7f) {
        return "control characters and spaces are not accepted in request targets";
      }
    }
    return null;
  }

  /** {@code %2e %2f %5c %00 %25}, either case. */
  private static boolean forbiddenEscape(char high, char low) {
    char l = Character.toLowerCase(low);
    return high == '2' && (l == 'e' || l == 'f' || l == '5') || high == '5' && l == 'c' || high == '0' && l == '0';
  }
}
