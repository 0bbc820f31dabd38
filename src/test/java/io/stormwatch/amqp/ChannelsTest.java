package io.stormwatch.amqp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.spi.Connector;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.reactive.messaging.ChannelRegistry;
import io.stormwatch.support.BackingServices;

/** Commands and queries come in on SmallRye Reactive Messaging channels, each on a link of the service's connector. */
@QuarkusTest
class ChannelsTest {

    @Inject
    ChannelRegistry channels;

    @Inject
    @Connector(QueueConnector.NAME)
    QueueConnector connector;

    @Test
    void commands_and_queries_are_channels_of_the_queue_connector() {
        assertThat(channels.getIncomingNames()).contains("commands", "queries");
        assertThat(connector.link("commands").name())
                .isEqualTo("commands link (" + BackingServices.queuePrefix() + "weather.commands)");
        assertThat(connector.link("queries").name())
                .isEqualTo("queries link (" + BackingServices.queuePrefix() + "weather.queries)");
        await().atMost(Duration.ofSeconds(10)).until(() -> connector.link("commands").downFor().isZero()
                && connector.link("queries").downFor().isZero());
    }
}
