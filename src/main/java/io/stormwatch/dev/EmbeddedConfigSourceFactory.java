package io.stormwatch.dev;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.quarkus.runtime.LaunchMode;
import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;
import io.stormwatch.platform.StormwatchConfig;

/**
 * Points the datasource and the AMQP connector at the embedded servers when {@code stormwatch.embedded.enabled} is on
 * (dev mode by default, or {@code STORMWATCH_EMBEDDED=true} for the jar). It runs at runtime init, before the
 * datasource, Flyway and the connector read their configuration, which no CDI bean could do.
 * Tests start the same servers through a test resource instead.
 */
public class EmbeddedConfigSourceFactory implements ConfigSourceFactory {

    /** Above application.properties (250), below environment variables (300). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        if (LaunchMode.current() == LaunchMode.TEST || !enabled(context)) {
            return List.of();
        }
        Path dataDir = Path.of(value(context, "stormwatch.embedded.data-dir",
                StormwatchConfig.Embedded.DEFAULT_DATA_DIR));
        boolean clean = Boolean.parseBoolean(value(context, "stormwatch.embedded.clean", "false"));
        int pgPort = Integer.parseInt(value(context, "stormwatch.embedded.postgres-port",
                StormwatchConfig.Embedded.DEFAULT_POSTGRES_PORT));
        int amqpPort = Integer.parseInt(value(context, "stormwatch.embedded.amqp-port",
                StormwatchConfig.Embedded.DEFAULT_AMQP_PORT));
        EmbeddedServers.Endpoints endpoints = EmbeddedServers.start(dataDir, clean, pgPort, amqpPort);
        return List.of(new MapBackedConfigSource("stormwatch-embedded-servers", properties(endpoints), ORDINAL) {
        });
    }

    public static Map<String, String> properties(EmbeddedServers.Endpoints endpoints) {
        return Map.of(
                "quarkus.datasource.reactive.url", endpoints.reactiveUrl(),
                "quarkus.datasource.jdbc.url", endpoints.jdbcUrl(),
                "quarkus.datasource.username", "postgres",
                "quarkus.datasource.password", "postgres",
                "amqp-host", endpoints.host(),
                "amqp-port", Integer.toString(endpoints.amqpPort()));
    }

    private static boolean enabled(ConfigSourceContext context) {
        String env = System.getenv("STORMWATCH_EMBEDDED");
        if (env != null) {
            return Boolean.parseBoolean(env);
        }
        String profiled = value(context, "%" + LaunchMode.current().getDefaultProfile() + ".stormwatch.embedded.enabled",
                null);
        return Boolean.parseBoolean(profiled != null ? profiled : value(context, "stormwatch.embedded.enabled", "false"));
    }

    private static String value(ConfigSourceContext context, String name, String defaultValue) {
        ConfigValue value = context.getValue(name);
        return value == null || value.getValue() == null ? defaultValue : value.getValue();
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
