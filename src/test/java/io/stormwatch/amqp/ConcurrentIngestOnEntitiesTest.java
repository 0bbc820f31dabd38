package io.stormwatch.amqp;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.stormwatch.platform.CommandsConfig.AppendPath;
import io.stormwatch.platform.StormwatchConfig;
import io.stormwatch.support.EntityAppendPath;

/** {@link ConcurrentIngestTest} with command batches on the entity append path. */
@QuarkusTest
@TestProfile(EntityAppendPath.class)
class ConcurrentIngestOnEntitiesTest extends ConcurrentIngestTest {

    @Inject
    StormwatchConfig config;

    @Test
    void the_batches_run_in_hibernate_sessions() {
        assertThat(config.commands().appendPath()).isEqualTo(AppendPath.ENTITY);
    }
}
