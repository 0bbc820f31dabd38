package io.stormwatch.domain;

import io.stormwatch.api.Event;
import io.stormwatch.api.Event.StationRegistered;

/** What the write side knows of one station: enough to decide its commands. Derived from its events. */
public record StationState(String streamId, StationRegistered registration) {

    public boolean registered() {
        return registration != null;
    }

    public StationState evolve(Event event) {
        return event instanceof StationRegistered registered ? new StationState(streamId, registered) : this;
    }
}
