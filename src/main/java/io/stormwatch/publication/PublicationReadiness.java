package io.stormwatch.publication;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.Readiness;

/** Each publisher's state as a readiness check: DOWN while the active publisher cannot reach the broker. */
@Singleton
public class PublicationReadiness {

    @Produces
    @Readiness
    @Singleton
    HealthCheck events(Publishers publishers) {
        return () -> publishers.events().health();
    }

    @Produces
    @Readiness
    @Singleton
    HealthCheck alerts(Publishers publishers) {
        return () -> publishers.alerts().health();
    }
}
