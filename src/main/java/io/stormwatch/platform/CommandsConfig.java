package io.stormwatch.platform;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** Settings under stormwatch.commands. */
public interface CommandsConfig {
    /** The AMQP address commands are consumed from ("/queue/weather.commands" on RabbitMQ 3.x). */
    @WithDefault("weather.commands")
    String address();

    /** Attach as a durable link; RabbitMQ 3.x needs false when senders declared the queue first. */
    @WithDefault("true")
    boolean durable();

    /** Most commands handled in one database transaction. */
    @WithDefault("200")
    int maxBatchSize();

    /**
     * Most events a batch's commands may carry together (a RecordObservations command of 100 counts 100): under
     * load a batch takes everything that came while the one before it was in work, and 200 commands of 100
     * observations made transactions of 20,000 events, longer than the in-memory window of recent events.
     */
    @WithDefault("5000")
    int maxBatchEvents();

    /** How long a partial batch waits for more commands before it is written. */
    @WithDefault("5ms")
    Duration maxBatchWait();

    /** Largest accepted command body, in characters; larger ones are answered rejected and dead-lettered. */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * Largest command message read into memory at all (encoded, every section): a larger one is rejected on the
     * link unread, with the reason in the rejection, and the broker dead-letters it. Four times the body limit,
     * so that every body up to that limit, even in 4-byte characters, is read and answered.
     */
    @WithDefault("4259840")
    long maxMessageBytes();

    /**
     * How a batch's transaction reaches the database: {@code sql}, the SQL client (the lock and reads pipelined in
     * one round trip, the events in one statement); or {@code entity}, a Hibernate Reactive session (native
     * queries one after another, the events persisted as entities in batches). docs/benchmarks.md has the pair.
     */
    @WithDefault("sql")
    AppendPath appendPath();

    enum AppendPath {
        SQL,
        ENTITY
    }

    /** How far in the future an observedAt may lie (station clock skew). */
    @WithDefault("5m")
    Duration maxClockSkew();
}
