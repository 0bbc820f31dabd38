package io.stormwatch.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.security.Role;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.stormwatch.platform.StormwatchConfig;
import io.stormwatch.platform.ValidatedUserStamp;

/**
 * Every manifest under k8s/, checked without a cluster: it parses with fabric8's Kubernetes model and has no field
 * the model does not know; every kustomization names files that exist; the probes point at the service's health
 * endpoints; every environment key is one the service reads; selectors match the pods; each database takes the
 * connections of every replica the autoscaler may start; and the pods meet the restricted Pod Security Standard.
 */
class ManifestTest {

    private static final Path K8S = Path.of("k8s");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final Map<String, String> HEALTH = Map.of("startup", "/q/health/started", "liveness",
            "/q/health/live", "readiness", "/q/health/ready");

    private static List<HasMetadata> base;
    private static List<HasMetadata> all;

    @BeforeAll
    static void parse() throws IOException {
        base = resources(K8S.resolve("base"));
        all = resources(K8S);
    }

    private static List<HasMetadata> resources(Path root) throws IOException {
        List<HasMetadata> parsed = new ArrayList<>();
        for (Path file : yamlFiles(root)) {
            if (file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            for (String document : Files.readString(file).split("(?m)^---$")) {
                if (document.isBlank() || document.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                    continue;
                }
                HasMetadata resource = SERIALIZATION.unmarshal(document);
                assertThat(resource).as(file.toString()).isNotNull();
                parsed.add(resource);
            }
        }
        return parsed;
    }

    private static List<Path> yamlFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void every_manifest_parses_with_no_field_the_kubernetes_model_does_not_know() throws Exception {
        assertThat(all).hasSizeGreaterThan(15);
        List<String> unknown = new ArrayList<>();
        for (HasMetadata resource : all) {
            if (!(resource instanceof GenericKubernetesResource)) {
                unknownFields(resource, resource.getKind() + "/" + resource.getMetadata().getName(), unknown);
            }
        }
        assertThat(unknown).as("fields the Kubernetes model does not know").isEmpty();
        // Custom resources (the operators' kinds) are checked for what the operators need.
        assertThat(all.stream().filter(GenericKubernetesResource.class::isInstance).map(HasMetadata::getKind))
                .containsExactlyInAnyOrder("ActiveMQArtemis", "Cluster", "ServiceMonitor");
    }

    /**
     * Without a redelivery delay a command handed back counted burns its ten attempts in milliseconds; every broker
     * configuration the project ships waits, longer each time, and dead-letters what still fails.
     */
    @Test
    void every_shipped_broker_configuration_delays_redeliveries_with_backoff_and_dead_letters() throws IOException {
        for (Path overlay : List.of(K8S.resolve("overlays/dev/artemis.yaml"), K8S.resolve("overlays/prod/artemis.yaml"))) {
            assertThat(Files.readString(overlay)).as(overlay.toString())
                    .contains("addressSettings.#.deadLetterAddress=weather.dead-letters",
                            "addressSettings.#.maxDeliveryAttempts=10", "addressSettings.#.redeliveryDelay=1000",
                            "addressSettings.#.redeliveryMultiplier=2.0", "addressSettings.#.maxRedeliveryDelay=60000");
        }
        assertThat(Files.readString(Path.of("docs", "operations.md")))
                .contains("<dead-letter-address>weather.dead-letters</dead-letter-address>",
                        "<redelivery-delay>1000</redelivery-delay>",
                        "<redelivery-delay-multiplier>2.0</redelivery-delay-multiplier>",
                        "<max-redelivery-delay>60000</max-redelivery-delay>");
    }

    /** Production: encrypted on every hop, no placeholder secret rendered, and the backing services fenced off. */
    @Test
    void production_is_encrypted_renders_no_secret_and_fences_off_the_broker_and_the_database() throws IOException {
        List<HasMetadata> prod = new ArrayList<>(base);
        prod.addAll(resources(K8S.resolve("overlays/prod")));
        assertThat(prod).as("a Secret applying the overlay would overwrite").noneMatch(Secret.class::isInstance);
        for (Path file : yamlFiles(K8S)) {
            assertThat(Files.readString(file)).as(file.toString()).doesNotContain("change-me");
        }

        Map<String, String> config = new HashMap<>();
        prod.stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
                .filter(m -> m.getMetadata().getName().equals("stormwatch")).forEach(m -> config.putAll(m.getData()));
        assertThat(config).containsEntry("AMQP_USE_SSL", "true").containsEntry("AMQP_PORT", "5671");
        assertThat(config.get("QUARKUS_DATASOURCE_REACTIVE_URL")).contains("sslmode=require");
        assertThat(config.get("QUARKUS_DATASOURCE_JDBC_URL")).contains("sslmode=require");
        // CAP's sender names who issues the alerts: each deployment its own, never the example default.
        assertThat(config.get("STORMWATCH_ALERTS_SENDER")).isNotBlank().isNotEqualTo("stormwatch@example.org")
                .doesNotContainAnyWhitespaces().doesNotContain(",", "<", "&");

        JsonNode broker = YAML.readTree(K8S.resolve("overlays/prod/artemis.yaml").toFile());
        assertThat(broker.path("spec").path("acceptors")).allSatisfy(acceptor -> {
            assertThat(acceptor.path("sslEnabled").asBoolean()).as("acceptor %s", acceptor.path("name")).isTrue();
            assertThat(acceptor.path("port").asInt()).isEqualTo(5671);
        });

        Ingress ingress = one(prod, Ingress.class);
        assertThat(ingress.getSpec().getTls()).isNotEmpty();
        assertThat(ingress.getSpec().getTls().getFirst().getSecretName()).isNotBlank();

        List<NetworkPolicy> policies = prod.stream().filter(NetworkPolicy.class::isInstance)
                .map(NetworkPolicy.class::cast).toList();
        for (Map<String, String> pods : List.of(Map.of("app.kubernetes.io/name", "stormwatch"),
                Map.of("application", "stormwatch-broker-app"), Map.of("cnpg.io/cluster", "stormwatch-db"))) {
            assertThat(policies).as("a policy selecting %s, so that all else is denied", pods)
                    .anyMatch(p -> p.getSpec().getPodSelector().getMatchLabels().equals(pods)
                            && p.getSpec().getPolicyTypes().contains("Ingress"));
        }
    }

    /**
     * The production broker's properties are ones Artemis itself applies (parsed by its own ConfigurationImpl, which
     * reports every key it cannot set), and they give each role only what it needs.
     */
    @Test
    void the_production_broker_applies_its_security_by_address_and_stamps_the_sender() throws Exception {
        Properties properties = new Properties();
        YAML.readTree(K8S.resolve("overlays/prod/artemis.yaml").toFile()).path("spec").path("brokerProperties")
                .forEach(p -> {
                    String[] keyValue = p.asText().split("=", 2);
                    properties.put(keyValue[0], keyValue[1]);
                });
        ConfigurationImpl broker = new ConfigurationImpl();
        broker.parsePrefixedProperties(properties, null);
        List<String> errors = new ArrayList<>();
        new ObjectMapper().readTree(broker.getStatus()).findValues("errors")
                .forEach(list -> list.forEach(error -> errors.add(error.toString())));
        assertThat(errors).as("keys Artemis could not apply (its own report)").isEmpty();
        assertThat(broker.isPopulateValidatedUser()).isTrue();
        assertThat(broker.getBrokerPlugins()).as("the plugin that stamps AMQP messages with their sender")
                .hasAtLeastOneElementOfType(ValidatedUserStamp.class);
        assertThat(broker.isSecurityEnabled()).isTrue();

        Map<String, Set<Role>> roles = broker.getSecurityRoles();
        for (String published : List.of("weather.events", "weather.alerts")) {
            assertThat(roles.get(published)).as(published).filteredOn(Role::isSend).extracting(Role::getName)
                    .containsExactly("service");
            assertThat(roles.get(published)).filteredOn(Role::isConsume).extracting(Role::getName)
                    .containsExactly("subscribers");
        }
        for (String inbound : List.of("weather.commands", "weather.queries")) {
            assertThat(roles.get(inbound)).as(inbound).filteredOn(Role::isConsume).extracting(Role::getName)
                    .containsExactly("service");
            assertThat(roles.get(inbound)).filteredOn(Role::isSend).extracting(Role::getName).contains("stations");
        }
        assertThat(roles.values().stream().flatMap(Set::stream).filter(Role::isCreateDurableQueue)
                .map(Role::getName).distinct().toList()).as("who may create durable queues").containsExactly("subscribers");
        assertThat(roles.entrySet()).filteredOn(e -> e.getValue().stream().anyMatch(Role::isCreateDurableQueue))
                .extracting(Map.Entry::getKey).containsExactlyInAnyOrder("weather.events", "weather.alerts");
    }

    @Test
    void the_jvm_runs_with_the_memory_settings_the_benchmark_measures() throws IOException {
        Deployment deployment = one(base, Deployment.class);
        Map<String, String> env = new HashMap<>();
        deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv()
                .forEach(e -> env.put(e.getName(), e.getValue()));
        String limit = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getResources()
                .getLimits().get("memory").toString();
        long heapMb = Long.parseLong(limit.replace("Mi", "")) * Long.parseLong(env.get("JAVA_MAX_MEM_RATIO")) / 100;
        String bench = Files.readString(Path.of("bench", "lib.sh"));
        assertThat(bench).contains("-Xmx" + heapMb + "m");
        for (String option : env.get("JAVA_OPTS_APPEND").split("\\s+")) {
            if (option.startsWith("-XX:")) {
                assertThat(bench).as("bench/lib.sh runs the service with %s", option).contains(option);
            }
        }
    }

    @Test
    void the_dev_overlay_starts_under_the_production_profile() throws IOException {
        // The packaged service refuses to start with no users and no OIDC (rest/SecuredByDefault).
        String dev = Files.readString(K8S.resolve("overlays/dev/kustomization.yaml"));
        assertThat(dev).contains("QUARKUS_SECURITY_USERS_EMBEDDED_USERS_OPERATOR=",
                "QUARKUS_SECURITY_USERS_EMBEDDED_ROLES_OPERATOR=operator", "QUARKUS_SECURITY_USERS_EMBEDDED_PLAIN_TEXT=true");
        // Its broker stamps no sender, so checking one would refuse every command.
        assertThat(Files.readString(K8S.resolve("overlays/dev/configmap.yaml")))
                .contains("STORMWATCH_IDENTITY_ENFORCE: \"false\"");
    }

    @Test
    void every_kustomization_names_files_that_exist() throws IOException {
        for (Path file : yamlFiles(K8S)) {
            if (!file.getFileName().toString().equals("kustomization.yaml")) {
                continue;
            }
            JsonNode kustomization = YAML.readTree(file.toFile());
            List<String> referenced = new ArrayList<>();
            kustomization.path("resources").forEach(r -> referenced.add(r.asText()));
            kustomization.path("patches").forEach(p -> referenced.add(p.path("path").asText()));
            assertThat(referenced).as(file.toString()).isNotEmpty();
            for (String reference : referenced) {
                assertThat(file.getParent().resolve(reference)).as("%s names %s", file, reference).exists();
            }
        }
    }

    @Test
    void the_probes_point_at_the_health_endpoints_on_the_management_port() throws IOException {
        Deployment deployment = one(base, Deployment.class);
        Container container = deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
        int managementPort = container.getPorts().stream().filter(p -> p.getName().equals("management")).findFirst()
                .orElseThrow().getContainerPort();
        assertThat(managementPort).isEqualTo(Integer.parseInt(applicationProperties()
                .getProperty("quarkus.management.port", "9000")));
        assertThat(applicationProperties().getProperty("quarkus.management.enabled")).isEqualTo("true");
        Map<String, Probe> probes = Map.of("startup", container.getStartupProbe(), "liveness",
                container.getLivenessProbe(), "readiness", container.getReadinessProbe());
        probes.forEach((kind, probe) -> {
            assertThat(probe).as(kind + " probe").isNotNull();
            assertThat(probe.getHttpGet().getPath()).as(kind).isEqualTo(HEALTH.get(kind));
            assertThat(probe.getHttpGet().getPort().getStrVal()).as(kind).isEqualTo("management");
        });
        assertThat(container.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).containsKeys("cpu", "memory");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    }

    @Test
    void every_environment_key_is_one_the_service_reads() throws IOException {
        Set<String> known = knownEnvironmentKeys();
        List<String> keys = new ArrayList<>();
        for (HasMetadata resource : all) {
            switch (resource) {
                case ConfigMap map when map.getMetadata().getName().equals("stormwatch") ->
                        keys.addAll(map.getData().keySet());
                case Secret secret when secret.getMetadata().getName().equals("stormwatch") ->
                        keys.addAll(secret.getStringData().keySet());
                // A patch may set only some fields (the dev overlay's sets the replicas).
                case Deployment deployment when deployment.getSpec().getTemplate() != null -> deployment.getSpec()
                        .getTemplate().getSpec().getContainers().forEach(c -> {
                            if (c.getEnv() != null) {
                                c.getEnv().forEach(e -> keys.add(e.getName()));
                            }
                        });
                default -> {
                }
            }
        }
        assertThat(keys).isNotEmpty();
        assertThat(keys).as("environment keys the service does not read").allMatch(known::contains);
    }

    @Test
    void selectors_match_the_pod_labels() {
        Deployment deployment = one(base, Deployment.class);
        Map<String, String> labels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        assertThat(labels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(labels).containsAllEntriesOf(one(base, Service.class).getSpec().getSelector());
        assertThat(labels).containsAllEntriesOf(one(base, PodDisruptionBudget.class).getSpec().getSelector()
                .getMatchLabels());
        assertThat(labels).containsAllEntriesOf(one(base, NetworkPolicy.class).getSpec().getPodSelector()
                .getMatchLabels());
        assertThat(one(base, HorizontalPodAutoscaler.class).getSpec().getScaleTargetRef().getName())
                .isEqualTo(deployment.getMetadata().getName());
        for (HasMetadata resource : all) {
            if (resource instanceof StatefulSet set) {
                assertThat(set.getSpec().getTemplate().getMetadata().getLabels())
                        .containsAllEntriesOf(set.getSpec().getSelector().getMatchLabels());
            }
        }
    }

    @Test
    void each_database_takes_the_connections_of_every_replica_the_autoscaler_may_start() throws IOException {
        Properties properties = applicationProperties();
        int perReplica = Stream.of("quarkus.datasource.reactive.max-size",
                        "quarkus.datasource.\"lookups\".reactive.max-size", "quarkus.datasource.jdbc.max-size")
                .mapToInt(key -> Integer.parseInt(properties.getProperty(key))).sum();
        int replicas = one(base, HorizontalPodAutoscaler.class).getSpec().getMaxReplicas();
        // PostgreSQL keeps 3 connections for superusers, and the operator and backups take a few more.
        int needed = replicas * perReplica + 10;

        GenericKubernetesResource cluster = all.stream().filter(GenericKubernetesResource.class::isInstance)
                .map(GenericKubernetesResource.class::cast).filter(r -> r.getKind().equals("Cluster")).findFirst()
                .orElseThrow();
        JsonNode parameters = YAML.valueToTree(cluster.getAdditionalProperties()).path("spec").path("postgresql")
                .path("parameters");
        assertThat(parameters.path("max_connections").asInt(100)).as("CloudNativePG's max_connections")
                .isGreaterThanOrEqualTo(needed);

        StatefulSet dev = all.stream().filter(StatefulSet.class::isInstance).map(StatefulSet.class::cast)
                .filter(set -> set.getMetadata().getName().equals("stormwatch-db")).findFirst().orElseThrow();
        int devMax = dev.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs().stream()
                .map(Pattern.compile("^max_connections=(\\d+)$")::matcher).filter(Matcher::matches)
                .mapToInt(m -> Integer.parseInt(m.group(1))).findFirst().orElse(100);
        assertThat(devMax).as("the dev PostgreSQL's max_connections").isGreaterThanOrEqualTo(needed);
    }

    @Test
    void every_pod_meets_the_restricted_pod_security_standard() {
        List<PodSpec> pods = new ArrayList<>();
        for (HasMetadata resource : all) {
            if (resource instanceof Deployment d && d.getSpec().getSelector() != null) {
                pods.add(d.getSpec().getTemplate().getSpec());
            } else if (resource instanceof StatefulSet s) {
                pods.add(s.getSpec().getTemplate().getSpec());
            }
        }
        assertThat(pods).hasSize(3);
        for (PodSpec pod : pods) {
            assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
            assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
            for (Container c : pod.getContainers()) {
                assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
                assertThat(c.getSecurityContext().getCapabilities().getDrop()).as(c.getName()).containsExactly("ALL");
            }
        }
        PodSpec service = one(base, Deployment.class).getSpec().getTemplate().getSpec();
        Container container = service.getContainers().getFirst();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals("/tmp"));
        assertThat(service.getVolumes()).anyMatch(v -> v.getEmptyDir() != null);
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> resources, Class<T> kind) {
        List<T> found = resources.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as(kind.getSimpleName()).hasSize(1);
        return found.getFirst();
    }

    /** Keys in application.properties, env placeholders, the typed stormwatch.* mapping, @ConfigProperty names. */
    private static Set<String> knownEnvironmentKeys() throws IOException {
        Set<String> known = new HashSet<>();
        Properties properties = applicationProperties();
        for (String key : properties.stringPropertyNames()) {
            known.add(env(key.replaceFirst("^%[a-z]+\\.", "")));
            Matcher placeholder = Pattern.compile("\\$\\{([A-Z0-9_]+)").matcher(properties.getProperty(key));
            while (placeholder.find()) {
                known.add(placeholder.group(1));
            }
        }
        mapping("stormwatch", StormwatchConfig.class, known);
        // Read by the image's launcher (run-java.sh), not by the service: the JVM's memory and options.
        known.addAll(List.of("JAVA_MAX_MEM_RATIO", "JAVA_OPTS_APPEND"));
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            for (Path source : sources.filter(f -> f.toString().endsWith(".java")).toList()) {
                Matcher name = Pattern.compile("@ConfigProperty\\(name = \"([^\"]+)\"").matcher(Files.readString(source));
                while (name.find()) {
                    known.add(env(name.group(1)));
                }
            }
        }
        return known;
    }

    private static void mapping(String prefix, Class<?> group, Set<String> known) {
        for (Method method : group.getDeclaredMethods()) {
            if (Modifier.isStatic(method.getModifiers()) || method.getParameterCount() > 0) {
                continue;
            }
            String key = prefix + "." + method.getName().replaceAll("([a-z])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
            // A group of settings: an interface of the mapping, nested in it or beside it in its package.
            Class<?> type = method.getReturnType();
            if (type.isInterface() && type.getPackageName().equals(StormwatchConfig.class.getPackageName())
                    && !type.getName().startsWith("java.")) {
                mapping(key, method.getReturnType(), known);
            } else {
                known.add(env(key));
            }
        }
    }

    private static String env(String key) {
        return key.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
    }

    private static Properties applicationProperties() throws IOException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
        return properties;
    }

    /** Collects, with their paths, the fields of the model objects that landed in additionalProperties. */
    private static void unknownFields(Object value, String path, List<String> unknown) throws Exception {
        if (value == null) {
            return;
        }
        if (value instanceof Collection<?> items) {
            int i = 0;
            for (Object item : items) {
                unknownFields(item, path + "[" + i++ + "]", unknown);
            }
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                unknownFields(entry.getValue(), path + "." + entry.getKey(), unknown);
            }
            return;
        }
        if (!value.getClass().getPackageName().startsWith("io.fabric8.kubernetes.api.model")) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || !getter.getName().startsWith("get")
                    || getter.getDeclaringClass() == Object.class) {
                continue;
            }
            Object field = getter.invoke(value);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map<?, ?> extra && !extra.isEmpty()) {
                    unknown.add(path + ": " + extra.keySet());
                }
            } else {
                unknownFields(field, path + "." + getter.getName().substring(3), unknown);
            }
        }
    }
}
