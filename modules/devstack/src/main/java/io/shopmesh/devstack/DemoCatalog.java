package io.shopmesh.devstack;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The demo catalog of {@code ./shopmesh dev}: a dozen products created through the gateway as
 * the admin, exactly as an operator would. Products that already exist (a restart with kept
 * data) are left as they are.
 */
final class DemoCatalog implements DevSeed {

  private static final Logger LOG = LoggerFactory.getLogger(DemoCatalog.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<Map<String, Object>> PRODUCTS = List.of(
      product("TEA-EARLGREY-250", "Earl Grey, 250 g", "Black tea with bergamot, loose leaf", 650, 120),
      product("TEA-SENCHA-100", "Sencha, 100 g", "Steamed Japanese green tea", 890, 80),
      product("TEA-ROOIBOS-200", "Rooibos, 200 g", "Caffeine-free red bush tea", 520, 60),
      product("COF-ETHIOPIA-500", "Ethiopia Yirgacheffe beans, 500 g", "Washed, floral, light roast", 1490, 40),
      product("COF-COLOMBIA-500", "Colombia Huila beans, 500 g", "Caramel and red fruit, medium roast", 1290, 50),
      product("COF-ESPRESSO-1000", "Espresso blend, 1 kg", "Dark roast for milk drinks", 2290, 25),
      product("MUG-STONE-350", "Stoneware mug, 350 ml", "Hand glazed, dishwasher safe", 1800, 30),
      product("POT-CAST-800", "Cast iron teapot, 800 ml", "With stainless steel infuser", 4900, 10),
      product("GRINDER-HAND", "Hand grinder", "Conical ceramic burrs", 3900, 12),
      product("FILTER-PAPER-100", "Paper filters, 100 pcs", "Size 02, unbleached", 450, 200),
      product("KETTLE-GOOSENECK", "Gooseneck kettle, 1 l", "Pour-over kettle with thermometer", 5900, 8),
      product("LAST-ONE", "Limited edition tin", "Only one left: try ordering two", 2500, 1));

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @Override
  public void seed(Endpoints endpoints) throws Exception {
    String token = login(endpoints);
    int created = 0;
    for (Map<String, Object> product : PRODUCTS) {
      HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(endpoints.gateway() + "/api/products"))
          .header("Authorization", "Bearer " + token)
          .header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(product))).build());
      if (response.statusCode() == 201) {
        created++;
      } else if (response.statusCode() != 409) {
        throw new IllegalStateException("seeding " + product.get("sku") + " failed: " + response.statusCode() + " "
            + response.body());
      }
    }
    LOG.info("demo catalog: {} products created, {} already there", created, PRODUCTS.size() - created);
  }

  private String login(Endpoints endpoints) throws IOException, InterruptedException {
    String credentials = JSON.writeValueAsString(Map.of("email", endpoints.admin().email(),
        "password", endpoints.admin().password()));
    HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(endpoints.gateway() + "/api/auth/login"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(credentials)).build());
    if (response.statusCode() != 200) {
      throw new IllegalStateException("the demo admin cannot log in: " + response.statusCode() + " " + response.body());
    }
    return JSON.readTree(response.body()).get("accessToken").asText();
  }

  private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, Object> product(String sku, String name, String description, long priceCents,
                                             int stock) {
    return Map.of("sku", sku, "name", name, "description", description, "priceCents", priceCents,
        "currency", "EUR", "stock", stock);
  }
}
