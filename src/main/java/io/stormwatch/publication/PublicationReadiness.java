package io.stormwatch.publication;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/** Each publisher's state as a readiness check: DOWN while the active publisher cannot reach the broker. */
@ApplicationScoped
public class PublicationReadiness {

    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck events(Publishers publishers) {
        return () -> publishers.events().health();
    }

    @Produces
    @Readiness
    @ApplicationScoped
    HealthCheck alerts(Publishers publishers) {
        return () -> publishers.alerts().health();
    }
}
