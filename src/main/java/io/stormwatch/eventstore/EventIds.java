package io.stormwatch.eventstore;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Event ids: UUID version 7 (RFC 9562), the Unix time in milliseconds first, then random bits. Ids made later sort
 * after earlier ones, so the event table's unique index on event_id grows at its right edge like the position's. With
 * random (version 4) ids every append wrote into a random page of that index: at 10,000,000 events the index no
 * longer fit in PostgreSQL's buffers, and every page touched after a checkpoint went to the WAL whole
 * (docs/benchmarks.md). 74 random bits per millisecond keep ids of different replicas apart.
 */
public final class EventIds {

    private EventIds() {
    }

    public static UUID next() {
        return at(System.currentTimeMillis());
    }

    static UUID at(long epochMillis) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long mostSignificant = (epochMillis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long leastSignificant = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(mostSignificant, leastSignificant);
    }
}
