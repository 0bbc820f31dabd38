package io.stormwatch.platform;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** Settings under stormwatch.publication. */
public interface PublicationConfig {
    /** The multicast address every stored event is published to ("/topic/weather.events" on RabbitMQ 3.x). */
    @WithDefault("weather.events")
    String eventsAddress();

    /** The CloudEvents {@code source} of every published event. */
    @WithDefault("/stormwatch")
    String source();

    /** Events read from the store and sent before the broker must have acknowledged them all. */
    @WithDefault("500")
    int pageSize();

    /** Largest message sent; a larger event is not sent but dead-lettered, so it cannot stall the stream. */
    @WithDefault("1048576")
    int maxMessageBytes();

    /**
     * How long the active publisher's lease lasts unless renewed (it is renewed every third of this): a dead
     * replica is replaced after this.
     */
    @WithDefault("5s")
    Duration leaseTtl();

    /** How often the publisher looks for events appended by other replicas (and checks or renews its lease). */
    @WithDefault("500ms")
    Duration pollInterval();

    /**
     * Least time between the starts of two publication cycles: appends that come closer together are published
     * by one cycle (0 publishes after every append).
     */
    @WithDefault("20ms")
    Duration linger();

    /** How long a page may wait for the broker's acknowledgements before it is sent again. */
    @WithDefault("30s")
    Duration sendTimeout();
}
