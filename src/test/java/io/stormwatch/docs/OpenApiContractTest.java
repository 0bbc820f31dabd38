package io.stormwatch.docs;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static io.stormwatch.support.Management.management;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * The OpenAPI document a generator reads: linted by a real OpenAPI linter (Redocly CLI, from npm), and held to the
 * API itself: for every operation, each status it documents is provoked here and answered, and it documents no
 * status that is not provoked here.
 */
@QuarkusTest
class OpenApiContractTest {

    private static final String REDOCLY = "@redocly/cli@2.77.0";
    /** Warnings that say nothing wrong about this API: no license chosen yet; a dev server; a route with no 4xx. */
    private static final Set<String> ACCEPTED_WARNINGS = Set.of("info-license", "no-server-example.com",
            "operation-4xx-response");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long FAR_AHEAD = 1_000_000_000L;
    /** A status provoked for all its operations together by a step of its own (busyAndNotYet and the others). */
    private static final IntSupplier BELOW = () -> {
        throw new IllegalStateException("provoked by its own step, not one by one");
    };

    @TestHTTPResource("/")
    URL base;

    @Inject
    Sql sql;

    @Inject
    Vertx vertx;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void a_real_openapi_linter_finds_no_error() throws Exception {
        Path document = Path.of("target", "openapi.json");
        Files.createDirectories(document.getParent());
        Files.writeString(document, management().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString());
        Path tools = Path.of("target", "npm").toAbsolutePath();
        Path redocly = tools.resolve("node_modules/.bin/redocly");
        if (!Files.isExecutable(redocly)) {
            run(List.of("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", tools.toString(),
                    REDOCLY), 300);
        }
        Path report = run(List.of(redocly.toString(), "lint", document.toString(), "--format=json"), 120);
        JsonNode problems = JSON.readTree(report.toFile()).path("problems");
        List<String> errors = new ArrayList<>();
        Set<String> warnings = new TreeSet<>();
        for (JsonNode problem : problems) {
            String line = problem.path("ruleId").asText() + ": " + problem.path("message").asText();
            if (problem.path("severity").asText().equals("error")) {
                errors.add(line);
            } else {
                warnings.add(problem.path("ruleId").asText());
            }
        }
        assertThat(errors).as("Redocly errors").isEmpty();
        assertThat(warnings).as("Redocly warnings").isSubsetOf(ACCEPTED_WARNINGS);
    }

    @Test
    void every_operation_answers_each_status_it_documents_and_documents_each_status_it_answers() throws Exception {
        JsonNode paths = JSON.readTree(management().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().asString()).path("paths");
        Map<String, Set<String>> documented = new TreeMap<>();
        paths.properties().forEach(path -> path.getValue().properties().forEach(op -> documented.put(
                op.getValue().path("operationId").asText(), fieldNames(op.getValue().path("responses")))));

        Map<String, Map<String, IntSupplier>> cases = cases();
        Map<String, Set<String>> provoked = new TreeMap<>();
        cases.forEach((operation, byStatus) -> provoked.put(operation, new TreeSet<>(byStatus.keySet())));
        assertThat(provoked).as("statuses provoked here (left) and documented (right), per operationId")
                .isEqualTo(documented);

        for (var operation : cases.entrySet()) {
            for (var status : operation.getValue().entrySet()) {
                if (status.getValue() == BELOW) {
                    continue;
                }
                assertThat(status.getValue().getAsInt()).as("%s answering %s", operation.getKey(), status.getKey())
                        .isEqualTo(Integer.parseInt(status.getKey()));
            }
        }
        busyAndNotYet(documented);
        streamsPerClient();
        throttledLogins(documented);
    }

    /** One way to provoke each status of each operation, but the 429s and 503s (their own steps below). */
    private Map<String, Map<String, IntSupplier>> cases() {
        String station = newStationId("OPENAPI");
        Instant now = Instant.now();
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            amqp.request(register(station).encode());
            amqp.request(new JsonObject().put("type", "DefineAlertRule").put("ruleId", station).put("name", "Heat")
                    .put("metric", "temperatureC").put("operator", ">").put("threshold", 30).put("severity", "Minor")
                    .put("stationIds", new JsonArray().add(station)).encode());
            amqp.request(observation(station, now.minusSeconds(60), 35).encode());
        }
        String alertId = await().atMost(Duration.ofSeconds(20)).until(() -> given().queryParam("stationId", station)
                .get("/api/alerts").then().extract().jsonPath().getString("items[0].alertId"), id -> id != null);
        long rejected = deadLetter(station + "-a");
        long toDelete = deadLetter(station + "-b");
        long query = sql.count("""
                INSERT INTO dead_letter (source, message_id, reason, content_type, body)
                VALUES ('amqp:weather.queries', $1, 'a query without reply-to cannot be answered', 'application/json',
                        '{"type":"ListStations"}') RETURNING id""", station + "-query");
        String from = now.minusSeconds(3600).toString();
        String to = now.plusSeconds(60).toString();

        // In this order: a rebuild's status is read after the rebuild, a dead letter before it is replayed.
        Map<String, Map<String, IntSupplier>> cases = new LinkedHashMap<>();
        query(cases, "listStations", "/api/stations", null);
        query(cases, "getStation", "/api/stations/" + station, "/api/stations/NOPE-" + station);
        query(cases, "getObservations", "/api/stations/" + station + "/observations?from=" + from + "&to=" + to,
                "/api/stations/NOPE-" + station + "/observations?from=" + from + "&to=" + to);
        query(cases, "listAlerts", "/api/alerts", null);
        query(cases, "getAlert", "/api/alerts/" + alertId, "/api/alerts/nope-" + alertId);
        query(cases, "listAlertRules", "/api/rules", null);
        query(cases, "getStats", "/api/stats", null);
        cases.put("getTopology", Map.of("200", () -> status(given().get("/api/topology"))));
        cases.put("listEvents", Map.of("200", () -> status(given().get("/api/events?after=0&limit=5")),
                "400", () -> status(given().get("/api/events?after=abc"))));
        cases.put("followEvents", Map.of("200", () -> streamStatus("/api/events/stream?after=0"),
                "400", () -> status(given().get("/api/events/stream?after=abc")), "429", BELOW));
        cases.put("executeCommand", secured(Map.of(
                "202", () -> status(as("operator").contentType("application/json").body(register(newStationId("OA"))
                        .encode()).post("/api/commands")),
                "400", () -> status(as("operator").contentType("application/json").body(observation(station, now, 20)
                        .put("humidityPct", 178).encode()).post("/api/commands")),
                "415", () -> status(as("operator").contentType("text/plain").body(register(station).encode())
                        .post("/api/commands"))),
                () -> given().contentType("application/json").body("{}").post("/api/commands"),
                () -> as("viewer").contentType("application/json").body("{}").post("/api/commands")));
        cases.put("listDeadLetters", secured(Map.of(
                "200", () -> status(as("admin").get("/api/admin/dead-letters")),
                "400", () -> status(as("admin").get("/api/admin/dead-letters?limit=0"))),
                () -> given().get("/api/admin/dead-letters"), () -> as("operator").get("/api/admin/dead-letters")));
        cases.put("getDeadLetter", secured(Map.of(
                "200", () -> status(as("admin").get("/api/admin/dead-letters/" + rejected)),
                "400", () -> status(as("admin").get("/api/admin/dead-letters/abc")),
                "404", () -> status(as("admin").get("/api/admin/dead-letters/" + FAR_AHEAD))),
                () -> given().get("/api/admin/dead-letters/" + rejected),
                () -> as("operator").get("/api/admin/dead-letters/" + rejected)));
        cases.put("deleteDeadLetter", secured(Map.of(
                "204", () -> status(as("admin").delete("/api/admin/dead-letters/" + toDelete)),
                "400", () -> status(as("admin").delete("/api/admin/dead-letters/abc")),
                "404", () -> status(as("admin").delete("/api/admin/dead-letters/" + FAR_AHEAD))),
                () -> given().delete("/api/admin/dead-letters/" + rejected),
                () -> as("operator").delete("/api/admin/dead-letters/" + rejected)));
        cases.put("replayDeadLetter", secured(Map.of(
                "200", () -> status(as("admin").post("/api/admin/dead-letters/" + rejected + "/replay")),
                "400", () -> status(as("admin").post("/api/admin/dead-letters/abc/replay")),
                "404", () -> status(as("admin").post("/api/admin/dead-letters/" + FAR_AHEAD + "/replay")),
                "409", () -> status(as("admin").post("/api/admin/dead-letters/" + query + "/replay"))),
                () -> given().post("/api/admin/dead-letters/" + query + "/replay"),
                () -> as("operator").post("/api/admin/dead-letters/" + query + "/replay")));
        cases.put("rebuildProjection", secured(Map.of(
                "202", () -> rebuilt(as("admin").post("/api/admin/projections/stations/rebuild"), List.of("stations")),
                "404", () -> status(as("admin").post("/api/admin/projections/nothing/rebuild")),
                "409", () -> status(as("admin").post("/api/admin/projections/alert-evaluator/rebuild"))),
                () -> given().post("/api/admin/projections/stations/rebuild"),
                () -> as("operator").post("/api/admin/projections/stations/rebuild")));
        cases.put("rebuildProjections", secured(Map.of(
                "202", () -> rebuilt(as("admin").post("/api/admin/projections/rebuild"),
                        List.of("stations", "observations", "alerts")),
                "409", this::rebuildWhileAnotherReplicaRebuilds),
                () -> given().post("/api/admin/projections/rebuild"),
                () -> as("operator").post("/api/admin/projections/rebuild")));
        cases.put("getRebuild", secured(Map.of(
                "200", () -> status(as("admin").get("/api/admin/projections/stations/rebuild")),
                "404", () -> status(as("admin").get("/api/admin/projections/nothing/rebuild"))),
                () -> given().get("/api/admin/projections/stations/rebuild"),
                () -> as("operator").get("/api/admin/projections/stations/rebuild")));
        return cases;
    }

    /** A query's 200, 400 and 404; its 429 and 503 are provoked together for all queries (busyAndNotYet). */
    private static void query(Map<String, Map<String, IntSupplier>> cases, String id, String path, String missing) {
        Map<String, IntSupplier> byStatus = new TreeMap<>(Map.of(
                "200", () -> status(given().get(path)),
                "400", () -> status(given().get(path + (path.contains("?") ? "&" : "?") + "minPosition=abc")),
                "429", BELOW, "503", BELOW));
        if (missing != null) {
            byStatus.put("404", () -> status(given().get(missing)));
        }
        cases.put(id, byStatus);
    }

    /** 401 without credentials, 403 without the role; 429 is provoked for all of them together (throttledLogins). */
    private static Map<String, IntSupplier> secured(Map<String, IntSupplier> own,
            java.util.function.Supplier<io.restassured.response.Response> anonymous,
            java.util.function.Supplier<io.restassured.response.Response> withoutRole) {
        Map<String, IntSupplier> all = new TreeMap<>(own);
        all.put("401", () -> status(anonymous.get()));
        all.put("403", () -> status(withoutRole.get()));
        all.put("429", BELOW);
        return all;
    }

    /**
     * 429 and 503 of every query: stormwatch.queries.max-waiting (50 in tests) queries wait for a position far ahead,
     * so that each query with a minPosition is answered 429 at once; once they have waited max-wait (2 s in tests),
     * each of them is answered 503.
     */
    private void busyAndNotYet(Map<String, Set<String>> documented) throws Exception {
        List<CompletableFuture<HttpResponse<Void>>> waiting = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            waiting.add(http.sendAsync(request("/api/stats?minPosition=" + FAR_AHEAD), HttpResponse.BodyHandlers
                    .discarding()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> status(given().get("/api/stats?minPosition=" + FAR_AHEAD))
                == 429);
        for (String path : List.of("/api/stations", "/api/stations/X", "/api/stations/X/observations?from="
                + Instant.now().minusSeconds(3600) + "&to=" + Instant.now(), "/api/alerts", "/api/alerts/X", "/api/rules")) {
            assertThat(status(given().get(path + (path.contains("?") ? "&" : "?") + "minPosition=" + FAR_AHEAD)))
                    .as("%s while 50 queries wait", path).isEqualTo(429);
        }
        for (CompletableFuture<HttpResponse<Void>> answer : waiting) {
            assertThat(answer.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(503);
        }
        assertThat(documented.get("getStats")).contains("429", "503");
    }

    /** 429 of the event stream: a client holds stormwatch.queries.max-streams-per-client (210 in tests) open. */
    private void streamsPerClient() throws Exception {
        List<CompletableFuture<HttpResponse<InputStream>>> open = new ArrayList<>();
        try {
            for (int i = 0; i < 210; i++) {
                open.add(http.sendAsync(request("/api/events/stream?type=AlertRuleRemoved&after=" + FAR_AHEAD),
                        HttpResponse.BodyHandlers.ofInputStream()));
            }
            for (var response : open) {
                assertThat(response.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            }
            assertThat(http.send(request("/api/events/stream?after=0"), HttpResponse.BodyHandlers.discarding())
                    .statusCode()).isEqualTo(429);
        } finally {
            for (var response : open) {
                response.thenAccept(r -> {
                    try {
                        r.body().close();
                    } catch (IOException e) {
                        // closing a stream the server may have closed already
                    }
                });
            }
        }
    }

    /**
     * 429 of every operation that needs credentials: more failed logins than stormwatch.security.max-failed-logins
     * (10) from this address within the window (3 s in tests); then the window is waited out for the other tests.
     */
    private void throttledLogins(Map<String, Set<String>> documented) {
        for (int i = 0; i < 11; i++) {
            given().auth().preemptive().basic("admin", "wrong").get("/api/admin/dead-letters");
        }
        for (var path : List.of("/api/admin/dead-letters", "/api/admin/dead-letters/1",
                "/api/admin/projections/stations/rebuild")) {
            assertThat(status(as("admin").get(path))).as(path).isEqualTo(429);
        }
        assertThat(status(as("operator").contentType("application/json").body("{}").post("/api/commands")))
                .isEqualTo(429);
        assertThat(status(as("admin").delete("/api/admin/dead-letters/1"))).isEqualTo(429);
        assertThat(status(as("admin").post("/api/admin/dead-letters/1/replay"))).isEqualTo(429);
        assertThat(status(as("admin").post("/api/admin/projections/rebuild"))).isEqualTo(429);
        assertThat(status(as("admin").post("/api/admin/projections/stations/rebuild"))).isEqualTo(429);
        documented.forEach((operation, statuses) -> assertThat(statuses.contains("401"))
                .as("%s needs credentials, so it may be throttled", operation).isEqualTo(statuses.contains("403")));
        await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> status(as("admin").get("/api/admin/dead-letters")) == 200);
    }

    /** 202, then waits for the rebuild to be done, so that the next one may start. */
    private static int rebuilt(io.restassured.response.Response response, List<String> projections) {
        for (String projection : projections) {
            await().atMost(Duration.ofSeconds(60)).until(() -> "done".equals(as("admin")
                    .get("/api/admin/projections/" + projection + "/rebuild").then().extract().path("state")));
        }
        return response.statusCode();
    }

    /** Another replica holds a running rebuild of the alert view (as AdminTest stages it): nothing is started. */
    private int rebuildWhileAnotherReplicaRebuilds() {
        sql.query("INSERT INTO projection_rebuild (name, state, position, target, started_at, updated_at)"
                + " VALUES ('alerts', 'running', 0, 0, now(), now()) ON CONFLICT (name) DO UPDATE"
                + " SET state = 'running', updated_at = now(), finished_at = NULL");
        try {
            return status(as("admin").post("/api/admin/projections/rebuild"));
        } finally {
            sql.query("UPDATE projection_rebuild SET state = 'done', finished_at = now() WHERE name = 'alerts'");
        }
    }

    private long deadLetter(String commandId) {
        as("operator").contentType("application/json").body(new JsonObject().put("type", "RecordObservation")
                .put("commandId", commandId).put("stationId", "NOPE-" + commandId).put("observedAt",
                        Instant.now().toString()).put("temperatureC", 1).encode()).post("/api/commands").then()
                .statusCode(400);
        return sql.count("SELECT id FROM dead_letter WHERE command_id = $1", commandId);
    }

    private int streamStatus(String path) {
        try {
            HttpResponse<InputStream> response = http.send(request(path), HttpResponse.BodyHandlers.ofInputStream());
            response.body().close();
            return response.statusCode();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create(base.toString().replaceAll("/$", "") + path)).build();
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-password");
    }

    private static int status(io.restassured.response.Response response) {
        return response.statusCode();
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Runs a tool; its standard output is in the file returned, its errors in a .err beside it. */
    private static Path run(List<String> command, int seconds) throws IOException, InterruptedException {
        Path out = Path.of("target", Path.of(command.getFirst()).getFileName() + "-" + command.get(1) + ".out");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile())
                .redirectError(Path.of(out + ".err").toFile()).start();
        assertThat(process.waitFor(seconds, TimeUnit.SECONDS)).as("%s finished within %d s", command, seconds)
                .isTrue();
        return out;
    }
}
