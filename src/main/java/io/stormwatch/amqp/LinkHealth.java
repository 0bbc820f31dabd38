package io.stormwatch.amqp;

import java.time.Duration;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.reactive.messaging.spi.Connector;

import io.smallrye.health.api.Wellness;
import io.stormwatch.platform.StormwatchConfig;

/**
 * The command and query links' health. Each link is a wellness check (/q/health/well), not a readiness check: a
 * replica without the broker still serves reads and the HTTP gateway (docs/operations.md, Health). Liveness is DOWN
 * when either has been down for longer than {@code stormwatch.health.max-link-down} (5 min): the links reconnect by
 * themselves for as long as the service runs, so a link down that long means something a restart may cure (a wedged
 * connection, a lost route), and a broker outage that long is better reported by the pod restarting than by a
 * readiness that never comes back.
 */
@Singleton
public class LinkHealth {

    private static final String[] CHANNELS = {"commands", "queries"};

    private final QueueConnector connector;
    private final Duration maxDown;

    public LinkHealth(@Connector(QueueConnector.NAME) QueueConnector connector, StormwatchConfig config) {
        this.connector = connector;
        this.maxDown = config.health().maxLinkDown();
    }

    @Produces
    @Wellness
    HealthCheck commandLink() {
        return () -> connector.link("commands").health();
    }

    @Produces
    @Wellness
    HealthCheck queryLink() {
        return () -> connector.link("queries").health();
    }

    @Produces
    @Liveness
    HealthCheck linksAlive() {
        return () -> {
            HealthCheckResponseBuilder response = HealthCheckResponse.named("AMQP links alive").up();
            for (String channel : CHANNELS) {
                ReceiverLink link = connector.link(channel);
                Duration down = link.downFor();
                response.withData(link.name(), down.isZero() ? "attached" : "down for " + down.toSeconds() + " s");
                if (down.compareTo(maxDown) > 0) {
                    response.down();
                }
            }
            return response.build();
        };
    }
}
