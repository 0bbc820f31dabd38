package io.stormwatch.rest;

import jakarta.ws.rs.BadRequestException;

/**
 * Query parameters read as text and checked here, so that a bad one gets a 400 that names it (JAX-RS answers a
 * query parameter it cannot convert with a bare 404).
 */
final class Params {

    private Params() {
    }

    static long number(String name, String raw, long defaultValue, long min, long max) {
        if (raw == null || raw.isBlank()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below, with the accepted range
        }
        throw new BadRequestException(name + " must be an integer from " + min + " to " + max + ", not '" + raw + "'");
    }
}
