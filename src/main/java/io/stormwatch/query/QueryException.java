package io.stormwatch.query;

/** Why a query has no answer, in words for the client; the kind decides the HTTP status. */
public class QueryException extends RuntimeException {

    public enum Kind {
        /** A bad parameter: HTTP 400. */
        INVALID,
        /** The thing asked for does not exist: HTTP 404. */
        NOT_FOUND,
        /** The read model did not reach minPosition in time: HTTP 503 with Retry-After. */
        NOT_YET,
        /** Too many queries are waiting for their minPosition already: HTTP 429 with Retry-After. */
        BUSY
    }

    private final Kind kind;

    public QueryException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public static QueryException invalid(String message) {
        return new QueryException(Kind.INVALID, message);
    }

    public static QueryException notFound(String message) {
        return new QueryException(Kind.NOT_FOUND, message);
    }

    public Kind kind() {
        return kind;
    }
}
