package io.stormwatch.query;

import java.util.List;

/** A page of results; {@code nextCursor} (opaque) asks for the next one, and is null on the last page. */
public record Page<T>(List<T> items, String nextCursor) {
}
