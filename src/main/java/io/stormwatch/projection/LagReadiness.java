package io.stormwatch.projection;

import java.time.Duration;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import io.stormwatch.platform.StormwatchConfig;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Readiness: DOWN while any event handler is further behind the head of the log than
 * {@code stormwatch.health.max-projection-lag} positions (a replica that serves stale reads takes no traffic).
 */
@Readiness
@Singleton
public class LagReadiness implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Pool pool;
    private final Subscriptions subscriptions;
    private final long maxLag;

    public LagReadiness(Pool pool, Subscriptions subscriptions, StormwatchConfig config) {
        this.pool = pool;
        this.subscriptions = subscriptions;
        this.maxLag = config.health().maxProjectionLag();
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return pool.query("SELECT name, (SELECT COALESCE(MAX(position), 0) FROM event) - position"
                        + " FROM projection_checkpoint").execute()
                .map(rows -> {
                    HealthCheckResponseBuilder response = HealthCheckResponse.named("projection lag").up()
                            .withData("max", maxLag);
                    for (Row row : rows) {
                        String name = row.getString(0);
                        boolean ours = subscriptions.handlers().stream().anyMatch(h -> h.name().equals(name));
                        if (ours) {
                            response.withData(name, row.getLong(1));
                            if (row.getLong(1) > maxLag) {
                                response.down();
                            }
                        }
                    }
                    return response.build();
                })
                .ifNoItem().after(TIMEOUT).recoverWithItem(() -> HealthCheckResponse.named("projection lag").down()
                        .withData("error", "no answer from the database within " + TIMEOUT.toSeconds() + " s")
                        .build())
                .onFailure().recoverWithItem(e -> HealthCheckResponse.named("projection lag").down()
                        .withData("error", e.toString()).build());
    }
}
