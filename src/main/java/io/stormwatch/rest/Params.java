package io.stormwatch.rest;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import jakarta.ws.rs.BadRequestException;

import io.stormwatch.api.Event;

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

    private static final Pattern STREAM_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,199}");

    /** Event type names, repeated ({@code type=A&type=B}) or comma-separated; each must be a known type. */
    static List<String> eventTypes(String name, List<String> raw) {
        List<String> types = new ArrayList<>();
        for (String value : raw == null ? List.<String>of() : raw) {
            for (String type : value.split(",")) {
                String trimmed = type.strip();
                if (trimmed.isEmpty()) {
                    continue;
                }
                if (!Event.typeNames().contains(trimmed)) {
                    throw new BadRequestException(name + " must be one of " + String.join(", ", Event.typeNames())
                            + ", not '" + trimmed + "'");
                }
                types.add(trimmed);
            }
        }
        return types;
    }

    /** A stream id such as {@code station-OSLO-1}, or null when absent. */
    static String streamId(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (!STREAM_ID.matcher(raw).matches()) {
            throw new BadRequestException(name + " must be a stream id such as station-OSLO-1 (letters, digits and"
                    + " . _ : -, at most 200), not '" + raw + "'");
        }
        return raw;
    }

    static Integer integer(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(raw.strip());
        } catch (NumberFormatException e) {
            throw new BadRequestException(name + " must be an integer, not '" + raw + "'");
        }
    }

    static Long minPosition(String raw) {
        return raw == null || raw.isBlank() ? null : number("minPosition", raw, 0, 0, Long.MAX_VALUE);
    }

    /** An ISO-8601 instant such as 2026-11-26T12:00:00Z, or null when absent. */
    static Instant instant(String name, String raw) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(raw.strip());
        } catch (DateTimeParseException e) {
            throw new BadRequestException(name + " must be an ISO-8601 instant such as 2026-11-26T12:00:00Z, not '"
                    + raw + "'");
        }
    }
}
