package io.stormwatch.platform;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

/** Jackson's mapping errors in words a client can act on: the field's path and what it must be. */
public final class JsonErrors {

    private JsonErrors() {
    }

    /** "observations[1].observedAt must be an ISO-8601 instant such as ...". */
    public static String describe(MismatchedInputException e) {
        return path(e) + " " + expected(e.getTargetType());
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
            } else {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.isEmpty() ? "command" : path.toString();
    }

    private static String expected(Class<?> target) {
        if (target == null) {
            return "has the wrong type";
        }
        if (target == java.time.Instant.class) {
            return "must be an ISO-8601 instant such as 2026-11-26T12:00:00Z";
        }
        if (Number.class.isAssignableFrom(target) || target == double.class) {
            return "must be a number";
        }
        if (java.util.List.class.isAssignableFrom(target)) {
            return "must be an array";
        }
        if (target == String.class) {
            return "must be a string";
        }
        return "must be a JSON object";
    }
}
