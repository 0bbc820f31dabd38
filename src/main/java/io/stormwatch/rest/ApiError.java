package io.stormwatch.rest;

/** The body of every HTTP error: one readable sentence. */
public record ApiError(String error) {
}
