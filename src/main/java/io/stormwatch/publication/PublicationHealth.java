package io.stormwatch.publication;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.health.HealthCheck;

import io.smallrye.health.api.Wellness;

/**
 * Each publisher's state as a wellness check (/q/health/well): DOWN while the active publisher cannot reach the broker.
 * Not readiness: what is stored meanwhile is published when the broker is back, and reads need no broker.
 */
@Singleton
public class PublicationHealth {

    @Produces
    @Wellness
    @Singleton
    HealthCheck events(Publishers publishers) {
        return () -> publishers.events().health();
    }

    @Produces
    @Wellness
    @Singleton
    HealthCheck alerts(Publishers publishers) {
        return () -> publishers.alerts().health();
    }
}
