package io.stormwatch.publication;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jboss.logging.Logger;

import io.stormwatch.deadletter.DeadLetters.DeadLetter;
import io.stormwatch.eventstore.RecordedEvent;

/**
 * The events the broker rejects, counted by position: one rejected {@value #MAX_REJECTIONS} times running is
 * dead-lettered and passed over, so that one message the broker will never take does not stop the publication.
 */
final class Rejections {

    private static final Logger LOG = Logger.getLogger(Rejections.class);
    static final int MAX_REJECTIONS = 3;

    private final String address;
    private final Map<Long, Integer> counts = new HashMap<>();

    Rejections(String address) {
        this.address = address;
    }

    /**
     * Counts a failed send of {@code event}: when it was a rejection, and the last one allowed, the event is added to
     * {@code unpublishable} and its position is what the publication may move to; else {@code acknowledged}.
     */
    long failed(RecordedEvent event, Throwable failure, List<DeadLetter> unpublishable, long acknowledged) {
        if (!String.valueOf(failure.getMessage()).contains("REJECTED")) {
            return acknowledged;
        }
        int count = counts.merge(event.position(), 1, Integer::sum);
        if (count < MAX_REJECTIONS) {
            return acknowledged;
        }
        counts.remove(event.position());
        LOG.errorf("event %d rejected by the broker %d times; dead-lettered and passed over: %s", event.position(),
                count, failure.getMessage());
        unpublishable.add(deadLetter(event, "rejected by the broker " + count + " times: " + failure.getMessage()));
        return event.position();
    }

    DeadLetter deadLetter(RecordedEvent event, String reason) {
        return new DeadLetter("publication:" + address, event.eventId().toString(), null,
                "event " + event.position() + " (" + event.type() + "): " + reason, CloudEventWriter.CONTENT_TYPE,
                null);
    }
}
