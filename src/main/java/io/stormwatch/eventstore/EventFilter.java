package io.stormwatch.eventstore;

import java.util.List;

/**
 * Which events a reader wants: any of {@code types} (all when empty), of one stream (any when null).
 *
 * @param types event type names, each one of {@link io.stormwatch.api.Event#typeNames()}
 * @param streamId a stream id such as {@code station-OSLO-1}, or null
 */
public record EventFilter(List<String> types, String streamId) {

    public static final EventFilter ALL = new EventFilter(List.of(), null);

    public EventFilter {
        types = List.copyOf(types);
    }
}
