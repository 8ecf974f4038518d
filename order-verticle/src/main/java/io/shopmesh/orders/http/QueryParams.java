package io.shopmesh.orders.http;

import io.shopmesh.orders.domain.OrderStatus;
import io.shopmesh.platform.paging.PageCursor;
import io.shopmesh.platform.errors.ProblemException;
import io.shopmesh.platform.errors.ProblemException.FieldError;
import io.vertx.ext.web.RoutingContext;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The query and path parameters of the orders API, each read once and checked; bad values are a 400. */
final class QueryParams {

  private static final Pattern DURATION = Pattern.compile("(\\d{1,9})(ms|s)?");

  private QueryParams() {
  }

  /** The {@code :id} path parameter; anything that is not an order id cannot name an order: 404. */
  static UUID orderId(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw ProblemException.notFound("no order " + id);
    }
  }

  /** A comma-separated set of states ({@code CONFIRMED,REJECTED}); empty when the parameter is absent. */
  static Set<OrderStatus> statuses(RoutingContext ctx, String name) {
    Optional<String> value = single(ctx, name);
    if (value.isEmpty()) {
      return Set.of();
    }
    try {
      Set<OrderStatus> statuses = EnumSet.noneOf(OrderStatus.class);
      Arrays.stream(value.get().split(",")).forEach(s -> statuses.add(OrderStatus.parse(s)));
      return statuses;
    } catch (IllegalArgumentException e) {
      throw invalid(name, "must be one or more of " + Arrays.toString(OrderStatus.values()) + ", comma-separated");
    }
  }

  /** {@code 5s}, {@code 500ms} or a bare number of seconds, at most {@code max}. */
  static Duration timeout(RoutingContext ctx, String name, Duration fallback, Duration max) {
    Optional<String> value = single(ctx, name);
    if (value.isEmpty()) {
      return fallback.compareTo(max) > 0 ? max : fallback;
    }
    Matcher m = DURATION.matcher(value.get());
    if (!m.matches()) {
      throw invalid(name, "must be a duration such as 5s or 500ms, at most " + max.toSeconds() + "s");
    }
    long n = Long.parseLong(m.group(1));
    Duration timeout = "ms".equals(m.group(2)) ? Duration.ofMillis(n) : Duration.ofSeconds(n);
    return timeout.compareTo(max) > 0 ? max : timeout;
  }

  static int limit(RoutingContext ctx, int fallback, int max) {
    Optional<String> value = single(ctx, "limit");
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      int limit = Integer.parseInt(value.get());
      if (limit >= 1 && limit <= max) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw invalid("limit", "must be an integer between 1 and " + max);
  }

  static Optional<PageCursor> cursor(RoutingContext ctx) {
    Optional<String> value = single(ctx, "cursor");
    try {
      return value.map(PageCursor::decode);
    } catch (IllegalArgumentException e) {
      throw invalid("cursor", "must be the nextCursor of a previous page");
    }
  }

  private static Optional<String> single(RoutingContext ctx, String name) {
    List<String> values = ctx.queryParam(name);
    if (values.size() > 1) {
      throw invalid(name, "must be given once");
    }
    return values.isEmpty() || values.get(0).isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  private static ProblemException invalid(String field, String message) {
    return ProblemException.invalidFields(List.of(new FieldError(field, message)));
  }
}
