package io.stormwatch.rest;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every HTTP operation of the API with its operationId, whether it needs credentials, and the statuses it answers,
 * each with what it means: the one list the OpenAPI document is completed from ({@link OpenApiFilter}) and that
 * {@code OpenApiContractTest} provokes status by status. An operation missing here fails the document's build.
 */
public final class ApiOperations {

    /** One status: what it means, and an example error for a 4xx or 5xx. */
    public record Status(String description, String example) {
    }

    public record Operation(String operationId, boolean secured, Map<String, Status> statuses) {
    }

    static final Status OK = new Status("OK", null);
    static final Status BAD_REQUEST = new Status("A parameter is not valid; the error names it.",
            "limit must be an integer from 1 to 1000, not 0");
    static final Status BUSY = new Status("Too many queries wait for their minPosition at once "
            + "(stormwatch.queries.max-waiting): retry after the Retry-After seconds.",
            "too many queries are waiting for the read model; retry later");
    static final Status NOT_YET = new Status("minPosition was not reached within stormwatch.queries.max-wait (5 s): "
            + "retry after the Retry-After seconds.", "the read model is at position 1200 and has not reached "
            + "minPosition 1250 within 5000 ms; retry later");
    static final Status UNAUTHORIZED = new Status("No credentials, or wrong ones.", null);
    static final Status FORBIDDEN = new Status("The user lacks the role this needs.", null);
    static final Status LOGINS = new Status("Too many failed logins from this address "
            + "(stormwatch.security.max-failed-logins): retry after the Retry-After seconds.",
            "too many failed logins from this address; retry later");

    private static final Map<String, Operation> ALL = new LinkedHashMap<>();

    static {
        query("GET /api/stations", "listStations", null);
        query("GET /api/stations/{stationId}", "getStation", "unknown station OSLO-9");
        query("GET /api/stations/{stationId}/observations", "getObservations", "unknown station OSLO-9");
        query("GET /api/alerts", "listAlerts", null);
        query("GET /api/alerts/{alertId}", "getAlert", "unknown alert 5b0c");
        query("GET /api/rules", "listAlertRules", null);
        query("GET /api/stats", "getStats", null);
        open("GET /api/topology", "getTopology", Map.of("200", OK));
        open("GET /api/events", "listEvents", Map.of("200", OK, "400", BAD_REQUEST));
        open("GET /api/events/stream", "followEvents", Map.of("200", new Status("The events as server-sent "
                + "events: history, then live.", null), "400", BAD_REQUEST, "429", new Status("Too many open "
                + "streams, in all or from this client (stormwatch.queries.max-streams, max-streams-per-client).",
                "too many event streams are open from this client (20); close one and retry")));
        secured("POST /api/commands", "executeCommand", Map.of(
                "202", new Status("Accepted, or a duplicate of a command already executed: the command's reply.",
                        null),
                "400", new Status("Rejected: the command's reply, with the error naming the field or the problem.",
                        "humidityPct must be between 0 and 100"),
                "415", new Status("The body is not application/json.", null)));
        secured("GET /api/admin/dead-letters", "listDeadLetters", Map.of("200", OK, "400", BAD_REQUEST));
        secured("GET /api/admin/dead-letters/{id}", "getDeadLetter", Map.of("200", OK, "400", BAD_REQUEST,
                "404", notFound("there is no dead letter 7")));
        secured("DELETE /api/admin/dead-letters/{id}", "deleteDeadLetter", Map.of("204", new Status("Deleted.",
                null), "400", BAD_REQUEST, "404", notFound("there is no dead letter 7")));
        secured("POST /api/admin/dead-letters/{id}/replay", "replayDeadLetter", Map.of(
                "200", new Status("Replayed: the command's reply (a new rejection is a new dead letter).", null),
                "400", BAD_REQUEST, "404", notFound("there is no dead letter 7"),
                "409", new Status("The dead letter is not a command.", "dead letter 7 came from amqp:weather.queries:"
                        + " only commands are replayed")));
        secured("POST /api/admin/projections/rebuild", "rebuildProjections", Map.of(
                "202", new Status("Started: one status per projection.", null),
                "409", new Status("A rebuild is running: the running ones' statuses; none is started.", null)));
        secured("GET /api/admin/projections/{name}/rebuild", "getRebuild", Map.of("200", OK,
                "404", notFound("projection observations has not been rebuilt")));
        secured("POST /api/admin/projections/{name}/rebuild", "rebuildProjection", Map.of(
                "202", new Status("Started: the rebuild's status, followed at the Location.", null),
                "404", notFound("unknown projection nothing; rebuildable: stations, observations, alerts"),
                "409", new Status("A rebuild of it is running, or it cannot be rebuilt (the alert evaluator).",
                        "alert-evaluator decides what happens next and is never rebuilt")));
    }

    private ApiOperations() {
    }

    /** The operation at {@code method path}, or null. */
    public static Operation get(String method, String path) {
        return ALL.get(method + " " + path);
    }

    public static Map<String, Operation> all() {
        return Map.copyOf(ALL);
    }

    /** A read-model query: 200, 400, 404 when it names one thing, 429 and 503 (read-your-writes waits). */
    private static void query(String operation, String id, String notFound) {
        Map<String, Status> statuses = new LinkedHashMap<>(Map.of("200", OK, "400", BAD_REQUEST, "429", BUSY,
                "503", NOT_YET));
        if (notFound != null) {
            statuses.put("404", notFound(notFound));
        }
        open(operation, id, statuses);
    }

    private static void open(String operation, String id, Map<String, Status> statuses) {
        ALL.put(operation, new Operation(id, false, Map.copyOf(statuses)));
    }

    /** Needs credentials: 401 without, 403 without the role, 429 after too many failed logins. */
    private static void secured(String operation, String id, Map<String, Status> statuses) {
        Map<String, Status> all = new LinkedHashMap<>(statuses);
        all.put("401", UNAUTHORIZED);
        all.put("403", FORBIDDEN);
        all.put("429", LOGINS);
        ALL.put(operation, new Operation(id, true, Map.copyOf(all)));
    }

    private static Status notFound(String example) {
        return new Status("It does not exist.", example);
    }
}
