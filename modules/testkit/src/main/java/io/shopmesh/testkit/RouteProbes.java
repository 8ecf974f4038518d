package io.shopmesh.testkit;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests derived from a running service's route table (see
 * {@code ServiceContext.routes()}): every method of every route whose path names a resource by a
 * parameter ({@code /api/orders/:id}), with that parameter filled in. A route added later is
 * probed without anyone writing a test for it.
 */
public final class RouteProbes {

  private static final Pattern PARAMETER = Pattern.compile(":([A-Za-z][A-Za-z0-9_]*)");
  private static final List<HttpMethod> ANY = List.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT,
      HttpMethod.PATCH, HttpMethod.DELETE);

  /** One request to make: {@code method path}, and the route it came from. */
  public record Probe(HttpMethod method, String path, String route) {

    @Override
    public String toString() {
      return method + " " + path + " (route " + route + ")";
    }
  }

  private RouteProbes() {
  }

  /** The probes of every parameterised route, each parameter replaced by {@code value}. */
  public static List<Probe> withParameters(List<Route> routes, String value) {
    List<Probe> probes = new ArrayList<>();
    for (Route route : routes) {
      String path = route.getPath();
      if (path == null || !PARAMETER.matcher(path).find()) {
        continue;
      }
      String filled = PARAMETER.matcher(path).replaceAll(Matcher.quoteReplacement(value));
      Set<HttpMethod> methods = route.methods();
      for (HttpMethod method : methods == null || methods.isEmpty() ? ANY : methods) {
        Probe probe = new Probe(method, filled, path);
        if (!probes.contains(probe)) {
          probes.add(probe);
        }
      }
    }
    return probes;
  }
}
