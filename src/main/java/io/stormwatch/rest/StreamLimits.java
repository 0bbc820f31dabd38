package io.stormwatch.rest;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.inject.Singleton;

import io.stormwatch.platform.StormwatchConfig;

/**
 * Live event streams held open at once, in all and per client address: each holds a connection and a tail, so an
 * unbounded number of them is a way to exhaust the service. Past either cap a new stream is refused with 429.
 */
@Singleton
public class StreamLimits {

    private final int max;
    private final int maxPerClient;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<String, AtomicInteger> perClient = new ConcurrentHashMap<>();

    public StreamLimits(StormwatchConfig config) {
        this.max = config.queries().maxStreams();
        this.maxPerClient = config.queries().maxStreamsPerClient();
    }

    /** Counts a new stream of {@code client} in; the reason it is refused, or null. Close what was opened. */
    public String open(String client) {
        if (open.incrementAndGet() > max) {
            open.decrementAndGet();
            return "the service has " + max + " event streams open already (stormwatch.queries.max-streams);"
                    + " retry later";
        }
        AtomicInteger mine = perClient.computeIfAbsent(client, c -> new AtomicInteger());
        if (mine.incrementAndGet() > maxPerClient) {
            close(client);
            return "this client has " + maxPerClient + " event streams open already"
                    + " (stormwatch.queries.max-streams-per-client); close one first";
        }
        return null;
    }

    public void close(String client) {
        open.decrementAndGet();
        perClient.computeIfPresent(client, (c, count) -> count.decrementAndGet() <= 0 ? null : count);
    }
}
