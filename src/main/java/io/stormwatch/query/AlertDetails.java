package io.stormwatch.query;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonUnwrapped;

import io.stormwatch.eventstore.RecordedEvent;

/** An alert with its whole history: raised, updates, acknowledgements, clear, as the events say. */
public record AlertDetails(@JsonUnwrapped AlertView alert, List<RecordedEvent> history) {
}
