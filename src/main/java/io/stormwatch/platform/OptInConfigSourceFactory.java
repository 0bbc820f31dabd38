package io.stormwatch.platform;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

import org.eclipse.microprofile.config.spi.ConfigSource;

import io.smallrye.config.ConfigSourceContext;
import io.smallrye.config.ConfigSourceFactory;
import io.smallrye.config.ConfigValue;
import io.smallrye.config.common.MapBackedConfigSource;

/**
 * Features that are on once their endpoint is configured, and off (rather than failing or retrying against
 * nothing) until then:
 * <ul>
 * <li>the OpenTelemetry SDK, on with {@code quarkus.otel.exporter.otlp.endpoint} or {@code ...otlp.traces.endpoint}
 * (the trace context flows across AMQP either way, see {@link Tracing});</li>
 * <li>OIDC bearer tokens, on with {@code quarkus.oidc.auth-server-url} or {@code quarkus.oidc.public-key}.</li>
 * </ul>
 * {@code QUARKUS_OTEL_SDK_DISABLED} and {@code QUARKUS_OIDC_TENANT_ENABLED} still decide when they are set.
 */
public class OptInConfigSourceFactory implements ConfigSourceFactory {

    /** Above application.properties (250), below environment variables (300). */
    private static final int ORDINAL = 275;

    @Override
    public Iterable<ConfigSource> getConfigSources(ConfigSourceContext context) {
        Map<String, String> off = new HashMap<>();
        if (!present(context, "quarkus.otel.exporter.otlp.endpoint")
                && !present(context, "quarkus.otel.exporter.otlp.traces.endpoint")) {
            off.put("quarkus.otel.sdk.disabled", "true");
        }
        if (!present(context, "quarkus.oidc.auth-server-url") && !present(context, "quarkus.oidc.public-key")) {
            off.put("quarkus.oidc.tenant-enabled", "false");
        }
        return List.of(new MapBackedConfigSource("stormwatch-opt-in-features", off, ORDINAL) {
        });
    }

    private static boolean present(ConfigSourceContext context, String name) {
        ConfigValue value = context.getValue(name);
        return value != null && value.getValue() != null && !value.getValue().isBlank();
    }

    @Override
    public OptionalInt getPriority() {
        return OptionalInt.of(ORDINAL);
    }
}
