package io.stormwatch.support;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.stormwatch.dev.EmbeddedConfigSourceFactory;
import io.stormwatch.dev.EmbeddedServers;

/**
 * The real servers the tests talk to, started once per test run: embedded PostgreSQL 15 and Artemis by default,
 * or, with {@code -Dtests.external=true} (or STORMWATCH_TEST_EXTERNAL=true), the machine's PostgreSQL
 * and an AMQP 1.0 broker, located by the usual QUARKUS_DATASOURCE_* and AMQP_* variables.
 */
public class BackingServices implements QuarkusTestResourceLifecycleManager {

    public static boolean external() {
        return Boolean.parseBoolean(System.getProperty("tests.external",
                System.getenv().getOrDefault("STORMWATCH_TEST_EXTERNAL", "false")));
    }

    /** How the broker names a queue in an AMQP address: "" for Artemis, "/queue/" for RabbitMQ 3.x. */
    public static String queuePrefix() {
        return external() ? System.getenv().getOrDefault("STORMWATCH_TEST_QUEUE_PREFIX", "") : "";
    }

    /**
     * Whether the broker is Artemis (embedded, or external with bare address names), with its dynamic nodes, its
     * dead-letter address and its validated-user stamp; RabbitMQ 3.x, run with a queue prefix, has none of them.
     */
    public static boolean artemis() {
        return queuePrefix().isEmpty();
    }

    /** How the broker names a multicast address: "" for Artemis, "/topic/" for RabbitMQ 3.x. */
    public static String topicPrefix() {
        return external() ? System.getenv().getOrDefault("STORMWATCH_TEST_TOPIC_PREFIX", "") : "";
    }

    private static volatile Map<String, String> current = Map.of();

    /** The configuration the servers were started with, for clients in the test JVM (also for jar tests). */
    public static Map<String, String> current() {
        return current;
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>(configuration());
        // The packaged jar of an integration test gets this map as system properties: its management interface
        // then listens where @QuarkusTests expect it (Quarkus' management test port), not on production's 9000.
        config.put("quarkus.management.port", "9001");
        current = Map.copyOf(config);
        return current;
    }

    private static Map<String, String> configuration() {
        if (external()) {
            Map<String, String> config = new HashMap<>();
            config.put("quarkus.datasource.reactive.url", env("QUARKUS_DATASOURCE_REACTIVE_URL",
                    "postgresql://127.0.0.1:5432/test"));
            config.put("quarkus.datasource.jdbc.url", env("QUARKUS_DATASOURCE_JDBC_URL",
                    "jdbc:postgresql://127.0.0.1:5432/test"));
            config.put("quarkus.datasource.username", env("QUARKUS_DATASOURCE_USERNAME", "postgres"));
            config.put("quarkus.datasource.password", env("QUARKUS_DATASOURCE_PASSWORD", "postgres"));
            config.put("amqp-host", env("AMQP_HOST", "127.0.0.1"));
            config.put("amqp-port", env("AMQP_PORT", "5672"));
            config.put("amqp-username", env("AMQP_USERNAME", "guest"));
            config.put("amqp-password", env("AMQP_PASSWORD", "guest"));
            // RabbitMQ 3.x (rabbitmq_amqp1_0) names a queue "/queue/NAME"; Artemis takes the bare name.
            config.putAll(addresses(queuePrefix(), topicPrefix()));
            return config;
        }
        // A clean data directory per run; any free ports, so a running dev instance is no obstacle.
        EmbeddedServers.Endpoints endpoints = EmbeddedServers.start(Path.of("target", "test-data"), true, 0, 0);
        return EmbeddedConfigSourceFactory.properties(endpoints);
    }

    /** The service's addresses, as the broker names them: queues and topics behind their prefixes. */
    public static Map<String, String> addresses(String queuePrefix, String topicPrefix) {
        return Map.of("stormwatch.commands.address", queuePrefix + "weather.commands",
                "mp.messaging.outgoing.simulator.address", queuePrefix + "weather.commands",
                "stormwatch.publication.events-address", topicPrefix + "weather.events",
                "stormwatch.alerts.address", topicPrefix + "weather.alerts",
                "stormwatch.queries.address", queuePrefix + "weather.queries");
    }

    private static String env(String name, String defaultValue) {
        return System.getenv().getOrDefault(name, defaultValue);
    }

    @Override
    public void stop() {
        // The servers stop with the JVM: the next test class reuses them.
    }
}
