package io.shopmesh.deployment;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The chart, linted and rendered with the bundled Helm (no binary, no cluster). */
@SuppressWarnings("unchecked")
class HelmChartTest {

  private static final Path CHART = Path.of(System.getProperty("shopmesh.repo.root"), "helm", "shopmesh");
  private static final Path PRODUCTION = Path.of("src/test/resources/production-values.yaml").toAbsolutePath();
  private static final Set<String> SERVICES = Set.of("gateway", "users", "orders", "inventory");
  private static final KubernetesSerialization YAML = new KubernetesSerialization();

  private static List<HasMetadata> defaults;
  private static List<HasMetadata> production;

  @BeforeAll
  static void render() {
    defaults = parse(new Helm(CHART).template().withKubeVersion("1.30.0").withName("shop").withNamespace("shop").call());
    production = parse(new Helm(CHART).template().withKubeVersion("1.30.0").withName("shop").withNamespace("prod")
        .withValuesFile(PRODUCTION).call());
  }

  @Test
  @DisplayName("helm lint --strict finds nothing, with the defaults and with production values")
  void lint() {
    LintResult result = new Helm(CHART).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
  }

  @Test
  @DisplayName("the chart renders valid Kubernetes objects: a Deployment, Service, ConfigMap, HPA and PDB per service")
  void objects() {
    for (List<HasMetadata> objects : List.of(defaults, production)) {
      assertThat(names(objects, Deployment.class)).containsExactlyInAnyOrder(
          "shop-shopmesh-gateway", "shop-shopmesh-users", "shop-shopmesh-orders", "shop-shopmesh-inventory");
      assertThat(names(objects, Service.class)).hasSize(4);
      assertThat(names(objects, ConfigMap.class)).hasSize(4);
      assertThat(names(objects, PodDisruptionBudget.class)).hasSize(4);
      assertThat(of(objects, HorizontalPodAutoscaler.class)).hasSize(4).allSatisfy(hpa ->
          assertThat(names(objects, Deployment.class)).contains(hpa.getSpec().getScaleTargetRef().getName()));
      assertThat(objects).allSatisfy(o -> assertThat(o.getMetadata().getLabels())
          .containsKeys("app.kubernetes.io/part-of", "app.kubernetes.io/managed-by", "helm.sh/chart"));
    }
  }

  @Test
  @DisplayName("every container has probes, resources, a non-root read-only security context and scrape annotations")
  void containers() {
    for (List<HasMetadata> objects : List.of(defaults, production)) {
      for (Deployment deployment : of(objects, Deployment.class)) {
        var pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
            .containsEntry("prometheus.io/scrape", "true").containsKey("checksum/config");
        for (Container c : pod.getContainers()) {
          String what = deployment.getMetadata().getName();
          assertThat(c.getLivenessProbe().getHttpGet().getPath()).as(what).isEqualTo("/health/live");
          assertThat(c.getReadinessProbe().getHttpGet().getPath()).as(what).isEqualTo("/health/ready");
          assertThat(c.getStartupProbe()).as(what).isNotNull();
          assertThat(c.getResources().getRequests()).as(what).containsKeys("cpu", "memory");
          assertThat(c.getResources().getLimits()).as(what).containsKey("memory");
          assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(what).isTrue();
          assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(what).isFalse();
          assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(what).contains("ALL");
          // the JVM flags of every launcher: work pools below the event loops, the JIT's start-up settings
          assertThat(c.getEnv()).as(what).filteredOn(env -> env.getName().equals("JAVA_TOOL_OPTIONS")).singleElement()
              .extracting(EnvVar::getValue).asString()
              .contains(LauncherFlags.PRIORITIES, LauncherFlags.TIER4_INVOCATIONS, LauncherFlags.TIER4_BACK_EDGES,
                  LauncherFlags.MAC_NOT_INLINED);
        }
      }
    }
  }

  @Test
  @DisplayName("secrets reach pods through Secrets only: no password appears in a ConfigMap")
  void noSecretsInConfigMaps() {
    String configMaps = of(production, ConfigMap.class).stream()
        .map(cm -> String.join("\n", cm.getData().values())).collect(Collectors.joining("\n"));
    assertThat(configMaps).doesNotContain("s3cret");
    Secret postgres = of(production, Secret.class).stream()
        .filter(s -> s.getMetadata().getName().endsWith("-postgres")).findFirst().orElseThrow();
    assertThat(postgres.getStringData()).containsKeys("users-password", "orders-password", "inventory-password");
    Deployment users = deployment(production, "users");
    assertThat(users.getSpec().getTemplate().getSpec().getContainers().get(0).getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("SHOPMESH_DB_PASSWORD");
          assertThat(e.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("users-password");
        });
    assertThat(configMaps).contains("postgresql://users@pg.prod.internal:5432/users")
        .contains("rediss://redis.prod.internal:6379").contains("kafka-0.prod.internal:9093");
  }

  @Test
  @DisplayName("only the gateway is reachable from outside: network policies select each service, the ingress targets the gateway")
  void exposure() {
    List<NetworkPolicy> policies = of(production, NetworkPolicy.class);
    assertThat(policies.stream().map(p -> p.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/component")))
        .containsExactlyInAnyOrderElementsOf(SERVICES);
    for (NetworkPolicy policy : policies) {
      String component = policy.getSpec().getPodSelector().getMatchLabels().get("app.kubernetes.io/component");
      if (!component.equals("gateway")) {
        assertThat(policy.getSpec().getIngress()).allSatisfy(rule -> assertThat(rule.getFrom()).isNotEmpty());
      }
    }
    Ingress ingress = of(production, Ingress.class).get(0);
    assertThat(ingress.getSpec().getRules().get(0).getHttp().getPaths()).allSatisfy(path ->
        assertThat(path.getBackend().getService().getName()).isEqualTo("shop-shopmesh-gateway"));
    assertThat(of(defaults, Ingress.class)).as("no ingress unless enabled").isEmpty();
  }

  @Test
  @DisplayName("values that cannot work are refused at install time by the schema")
  void badValues() {
    assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion("1.30.0").withName("shop").set("services.orders.replicas", -1).call())
        .hasMessageContaining("replicas");
    assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion("1.30.0").withName("shop").set("postgres.host", "").call())
        .hasMessageContaining("host");
    assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion("1.30.0").withName("shop").set("kafka.bootstrap", "no port").call())
        .hasMessageContaining("bootstrap");
    assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion("1.30.0").withName("shop").set("image.pullPolicy", "Sometimes").call())
        .hasMessageContaining("pullPolicy");
  }

  @Test
  @DisplayName("tracing values reach every service's configuration")
  void tracingConfig() {
    List<HasMetadata> traced = parse(new Helm(CHART).template().withKubeVersion("1.30.0").withName("shop")
        .set("tracing.otlpEndpoint", "http://otel-collector.monitoring:4318").set("tracing.samplingRatio", 0.25)
        .call());
    assertThat(of(traced, ConfigMap.class)).hasSize(4).allSatisfy(cm -> assertThat(String.join("\n",
        cm.getData().values())).contains("otlpEndpoint: http://otel-collector.monitoring:4318")
        .containsPattern("samplingRatio: \"?0.25\"?"));
    assertThatThrownBy(() -> new Helm(CHART).template().withKubeVersion("1.30.0").withName("shop")
        .set("tracing.samplingRatio", 2).call()).hasMessageContaining("samplingRatio");
  }

  @Test
  @DisplayName("on request the chart installs the Grafana dashboard and a PrometheusRule whose alerts use metrics"
      + " the services export")
  void observability() {
    assertThat(defaults).as("nothing unless enabled").noneMatch(o -> o.getKind().equals("PrometheusRule"))
        .noneMatch(o -> o.getMetadata().getName().endsWith("-dashboards"));
    List<HasMetadata> objects = parse(new Helm(CHART).template().withKubeVersion("1.30.0").withName("shop")
        .set("observability.dashboards", true).set("observability.alerts", true)
        .set("observability.labels.release", "kube-prometheus-stack").call());

    ConfigMap dashboards = of(objects, ConfigMap.class).stream()
        .filter(cm -> cm.getMetadata().getName().equals("shop-shopmesh-dashboards")).findFirst().orElseThrow();
    assertThat(dashboards.getMetadata().getLabels()).containsEntry("grafana_dashboard", "1")
        .containsEntry("release", "kube-prometheus-stack");
    Map<String, Object> dashboard = YAML.unmarshal(dashboards.getData().get("shopmesh.json"), Map.class);
    assertThat(dashboard).containsEntry("uid", "shopmesh");
    List<String> panelQueries = queries(dashboard);
    assertThat(panelQueries).hasSizeGreaterThan(15);

    GenericKubernetesResource rule = of(objects, GenericKubernetesResource.class).stream()
        .filter(o -> o.getKind().equals("PrometheusRule")).findFirst().orElseThrow();
    assertThat(rule.getApiVersion()).isEqualTo("monitoring.coreos.com/v1");
    assertThat(rule.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    List<Map<String, Object>> rules = rule.<List<Map<String, Object>>>get("spec", "groups").stream()
        .flatMap(group -> ((List<Map<String, Object>>) group.get("rules")).stream()).toList();
    Map<String, String> alerts = rules.stream().collect(Collectors.toMap(r -> (String) r.get("alert"),
        r -> (String) r.get("expr")));
    assertThat(alerts).containsKeys("ShopmeshOutboxBacklogStale", "ShopmeshDeadLetters", "ShopmeshBreakerOpen",
        "ShopmeshConsumerLag");
    assertThat(alerts.get("ShopmeshOutboxBacklogStale")).contains("shopmesh_outbox_oldest_age_seconds");
    assertThat(alerts.get("ShopmeshDeadLetters")).contains("shopmesh_dlq_depth").contains("> 0");
    assertThat(alerts.get("ShopmeshBreakerOpen")).contains("shopmesh_breaker_state").contains("== 2");
    assertThat(alerts.get("ShopmeshConsumerLag")).contains("shopmesh_consumer_lag_records");
    assertThat(rules).allSatisfy(r -> assertThat(r).containsKeys("for", "labels", "annotations"));

    Set<String> exported = ExportedMetrics.seriesNames();
    List<String> expressions = new ArrayList<>(alerts.values());
    expressions.addAll(panelQueries);
    for (String expr : expressions) {
      assertThat(ExportedMetrics.referencedBy(expr)).as("metrics of %s", expr).isNotEmpty()
          .allSatisfy(name -> assertThat(exported).as("%s (in %s) is a series some service exports", name, expr)
              .contains(name));
    }
  }

  /** The PromQL expressions of a Grafana dashboard's panels. */
  @SuppressWarnings("unchecked")
  private static List<String> queries(Map<String, Object> dashboard) {
    return ((List<Map<String, Object>>) dashboard.get("panels")).stream()
        .filter(p -> p.get("targets") != null)
        .flatMap(p -> ((List<Map<String, Object>>) p.get("targets")).stream())
        .map(t -> (String) t.get("expr")).toList();
  }

  private static Deployment deployment(List<HasMetadata> objects, String service) {
    return of(objects, Deployment.class).stream()
        .filter(d -> d.getMetadata().getName().endsWith("-" + service)).findFirst().orElseThrow();
  }

  private static <T extends HasMetadata> List<T> of(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }

  private static List<String> names(List<HasMetadata> objects, Class<? extends HasMetadata> type) {
    return of(objects, type).stream().map(o -> o.getMetadata().getName()).toList();
  }

  private static List<HasMetadata> parse(String manifests) {
    List<HasMetadata> objects = new ArrayList<>();
    for (String document : manifests.split("(?m)^---\\s*$")) {
      if (document.lines().anyMatch(l -> l.startsWith("kind:"))) {
        Object parsed = YAML.unmarshal(document);
        if (parsed instanceof KubernetesList list) {
          objects.addAll(list.getItems());
        } else {
          objects.add((HasMetadata) parsed);
        }
      }
    }
    assertThat(objects).isNotEmpty();
    return objects;
  }
}
