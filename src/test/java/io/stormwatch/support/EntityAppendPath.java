package io.stormwatch.support;

import java.util.Map;

import io.quarkus.test.junit.QuarkusTestProfile;

/** The service with command batches written through a Hibernate Reactive session and the event entity. */
public class EntityAppendPath implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("stormwatch.commands.append-path", "entity");
    }
}
