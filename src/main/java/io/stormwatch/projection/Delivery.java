package io.stormwatch.projection;

import io.stormwatch.eventstore.RecordedEvent;

/** One event as the broker delivered it, and how to settle that delivery once the event is applied or skipped. */
public record Delivery(RecordedEvent event, Runnable settle) {

    public long position() {
        return event.position();
    }
}
