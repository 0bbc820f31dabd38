package io.stormwatch.domain;

import java.util.List;

import io.stormwatch.api.Event;

/** The outcome of deciding one command: the events it produces (possibly none), or why it is rejected. */
public sealed interface Decision {

    record Accepted(List<Event> events) implements Decision {
    }

    record Rejected(String error) implements Decision {
    }

    static Decision accept(List<Event> events) {
        return new Accepted(List.copyOf(events));
    }

    static Decision reject(String error) {
        return new Rejected(error);
    }
}
