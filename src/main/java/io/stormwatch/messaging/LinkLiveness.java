package io.stormwatch.messaging;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Liveness;

import io.smallrye.health.api.Wellness;
import io.stormwatch.infra.StormwatchConfig;

/**
 * Liveness: DOWN when the command or query link has been down for longer than
 * {@code stormwatch.health.max-link-down} (5 min). The links reconnect by themselves for as long as the service
 * runs, so a link down that long means something a restart may cure (a wedged connection, a lost route), and a
 * broker outage that long is better reported by the pod restarting than by a readiness that never comes back.
 */
@Liveness
@Singleton
public class LinkLiveness implements HealthCheck {

    private final List<ReceiverLink> links;
    private final Duration maxDown;

    // The receivers are beans qualified @Wellness (they are wellness checks themselves).
    public LinkLiveness(@Wellness CommandReceiver commands, @Wellness QueryReceiver queries,
            StormwatchConfig config) {
        this.links = List.of(commands.link(), queries.link());
        this.maxDown = config.health().maxLinkDown();
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("AMQP links alive").up();
        for (ReceiverLink link : links) {
            Duration down = link.downFor();
            response.withData(link.name(), down.isZero() ? "attached" : "down for " + down.toSeconds() + " s");
            if (down.compareTo(maxDown) > 0) {
                response.down();
            }
        }
        return response.build();
    }
}
