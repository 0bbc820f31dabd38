package io.stormwatch.eventstore;

import io.stormwatch.api.Event;

/** An event about to be appended, with the position and stream version decided under the append lock. */
public record NewEvent(long position, long streamVersion, Event event, EventMetadata metadata) {
}
