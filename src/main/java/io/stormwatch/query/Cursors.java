package io.stormwatch.query;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Opaque page cursors: what a list query needs to continue (a position, or an offset under a sort order), encoded
 * so that clients treat them as tokens. A cursor that was not made here is an invalid parameter.
 */
final class Cursors {

    private Cursors() {
    }

    static String encode(String kind, String value) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((kind + "|" + value).getBytes(StandardCharsets.UTF_8));
    }

    /** The value of a cursor of this kind, or an INVALID QueryException naming the cursor. */
    static String decode(String kind, String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            if (text.startsWith(kind + "|")) {
                return text.substring(kind.length() + 1);
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw QueryException.invalid("cursor is not one this service gave out");
    }

    static long decodeLong(String kind, String cursor) {
        try {
            return Long.parseLong(decode(kind, cursor));
        } catch (NumberFormatException e) {
            throw QueryException.invalid("cursor is not one this service gave out");
        }
    }
}
