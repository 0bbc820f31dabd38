package io.stormwatch.publication;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** The publisher's state as a readiness check: DOWN while the active publisher cannot reach the broker. */
@Readiness
@ApplicationScoped
public class PublicationReadiness implements HealthCheck {

    private final EventPublisher publisher;

    public PublicationReadiness(EventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public HealthCheckResponse call() {
        return publisher.health();
    }
}
