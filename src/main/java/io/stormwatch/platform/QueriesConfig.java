package io.stormwatch.platform;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** Settings under stormwatch.queries. */
public interface QueriesConfig {
    /** The AMQP address queries are consumed from ("/queue/weather.queries" on RabbitMQ 3.x). */
    @WithDefault("weather.queries")
    String address();

    /** Attach as a durable link; RabbitMQ 3.x needs false when senders declared the queue first. */
    @WithDefault("true")
    boolean durable();

    /** Largest query message read into memory (a query is a few hundred bytes); larger ones are rejected unread. */
    @WithDefault("65536")
    long maxMessageBytes();

    /** Queries answered at once; a slow one holds back at most this many behind it. */
    @WithDefault("32")
    int maxConcurrent();

    /** Live event streams (SSE) open at once; more are refused with 429. */
    @WithDefault("1000")
    int maxStreams();

    /** Live event streams one client address may hold open at once; more are refused with 429. */
    @WithDefault("20")
    int maxStreamsPerClient();

    /** Queries (HTTP and AMQP together) that may wait for their minPosition at once; more are answered busy. */
    @WithDefault("1000")
    int maxWaiting();

    /** How long a query with minPosition waits for the read model before it is answered "not yet". */
    @WithDefault("5s")
    Duration maxWait();
}
