package io.stormwatch.query;

/** A query's result and the read-model position it was read at (every projection had applied at least that far). */
public record Answer(long position, Object result) {
}
