package io.stormwatch.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to a query, sent to its reply-to: {@code ok} with the read-model position and the result, or
 * {@code error} with a readable reason (for example {@code unknown station OSLO-9} or {@code from must be before to}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record QueryReply(String status, Long position, Object result, String error) {

    public static QueryReply ok(long position, Object result) {
        return new QueryReply("ok", position, result, null);
    }

    public static QueryReply error(String error) {
        return new QueryReply("error", null, null, error);
    }
}
