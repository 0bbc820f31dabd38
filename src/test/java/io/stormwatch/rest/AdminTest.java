package io.stormwatch.rest;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;

/** /api/admin: dead letters (list, inspect, replay, delete) and projection rebuilds, for role admin only. */
@QuarkusTest
class AdminTest {

    @Inject
    Sql sql;

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-password");
    }

    @Test
    void every_admin_endpoint_is_401_without_credentials_and_403_for_other_roles() {
        record Call(String method, String path) {
        }
        List<Call> calls = List.of(new Call("GET", "/api/admin/dead-letters"),
                new Call("GET", "/api/admin/dead-letters/1"), new Call("POST", "/api/admin/dead-letters/1/replay"),
                new Call("DELETE", "/api/admin/dead-letters/1"),
                new Call("POST", "/api/admin/projections/stations/rebuild"),
                new Call("POST", "/api/admin/projections/rebuild"),
                new Call("GET", "/api/admin/projections/stations/rebuild"));
        for (Call call : calls) {
            given().request(call.method(), call.path()).then().statusCode(401);
            as("operator").request(call.method(), call.path()).then().statusCode(403);
            as("viewer").request(call.method(), call.path()).then().statusCode(403);
        }
    }

    @Test
    void a_rejected_command_is_listed_inspected_replayed_once_its_cause_is_fixed_and_then_gone() {
        String station = newStationId("DL");
        String body = observation(station, Instant.now().minusSeconds(5), 4.5).put("commandId", station + "-obs")
                .encode();
        command(body).then().statusCode(400).body("error", containsString("unknown station"));

        long id = deadLetterOf(station + "-obs", "http:/api/commands");
        as("admin").get("/api/admin/dead-letters/{id}", id).then().statusCode(200)
                .body("source", equalTo("http:/api/commands")).body("body", equalTo(body))
                .body("reason", containsString("unknown station"));

        // Replayed before the station exists: rejected again, as a new dead letter; the first one is gone.
        as("admin").post("/api/admin/dead-letters/{id}/replay", id).then().statusCode(200)
                .body("reply.status", equalTo("rejected"));
        as("admin").get("/api/admin/dead-letters/{id}", id).then().statusCode(404)
                .body("error", equalTo("there is no dead letter " + id));
        long again = deadLetterOf("dead-letter-" + id, "replay:http:/api/commands");

        command(register(station).encode()).then().statusCode(202);
        as("admin").post("/api/admin/dead-letters/{id}/replay", again).then().statusCode(200)
                .body("reply.status", equalTo("accepted"));
        as("admin").post("/api/admin/dead-letters/{id}/replay", again).then().statusCode(404);
        long position = sql.count("SELECT max(position) FROM event WHERE stream_id = $1", "station-" + station);
        given().queryParam("minPosition", position).get("/api/stations/{id}", station).then().statusCode(200)
                .body("observationCount", equalTo(1));
    }

    @Test
    void a_dead_letter_is_deleted_and_one_that_is_not_a_command_is_not_replayed() {
        String station = newStationId("DL");
        command(observation(station, Instant.now(), 1.0).put("commandId", station + "-del").encode())
                .then().statusCode(400);
        long id = deadLetterOf(station + "-del", "http:/api/commands");
        as("admin").delete("/api/admin/dead-letters/{id}", id).then().statusCode(204);
        as("admin").delete("/api/admin/dead-letters/{id}", id).then().statusCode(404);

        long query = sql.count("""
                INSERT INTO dead_letter (source, message_id, reason, content_type, body)
                VALUES ('amqp:weather.queries', $1, 'a query without reply-to cannot be answered', 'application/json',
                        '{"type":"ListStations"}') RETURNING id""", station + "-query");
        as("admin").post("/api/admin/dead-letters/{id}/replay", query).then().statusCode(409)
                .body("error", containsString("only commands are replayed"));
        as("admin").get("/api/admin/dead-letters/abc").then().statusCode(400)
                .body("error", containsString("id must be an integer"));
        as("admin").queryParam("limit", 0).get("/api/admin/dead-letters").then().statusCode(400)
                .body("error", containsString("limit must be an integer from 1 to 1000"));
    }

    @Test
    void a_rebuild_gives_the_same_rows_and_indexes_and_the_live_projection_goes_on_after_it() {
        String station = newStationId("RB");
        Instant start = Instant.now().minusSeconds(3600);
        stationWithObservations(station, start, 30);
        edgeCases(station, start);

        for (String projection : VIEWS) {
            Snapshot before = snapshot();
            as("admin").post("/api/admin/projections/{name}/rebuild", projection).then().statusCode(202)
                    .header("Location", "/api/admin/projections/" + projection + "/rebuild")
                    .body("state", equalTo("running"));
            awaitDone(projection);
            assertKept(before, projection);
            assertSumsKept(before);
        }
        long next = liveGoesOn(station, start.plusSeconds(60L * 31), 31, 36);
        given().queryParam("minPosition", next).queryParam("from", start.toString())
                .queryParam("to", start.plusSeconds(7200).toString())
                .get("/api/stations/{id}/observations", station).then().statusCode(200)
                .body("items.temperatureC", hasItem(31.0f));
    }

    @Test
    void every_view_is_rebuilt_in_one_pass_to_the_same_rows_and_none_starts_while_one_is_running() {
        String station = newStationId("RBALL");
        Instant start = Instant.now().minusSeconds(7200);
        stationWithObservations(station, start, 25);
        Snapshot before = snapshot();

        // Another replica is rebuilding the alert view: nothing is started, and nothing is claimed.
        sql.query("INSERT INTO projection_rebuild (name, state, position, target, started_at, updated_at)"
                + " VALUES ('alerts', 'running', 0, 0, now(), now()) ON CONFLICT (name) DO UPDATE"
                + " SET state = 'running', updated_at = now(), finished_at = NULL");
        long runningBefore = sql.count("SELECT count(*) FROM projection_rebuild WHERE state = 'running'");
        as("admin").post("/api/admin/projections/rebuild").then().statusCode(409)
                .body("projection", equalTo(List.of("alerts")));
        assertEquals(runningBefore, sql.count("SELECT count(*) FROM projection_rebuild WHERE state = 'running'"));
        sql.query("UPDATE projection_rebuild SET state = 'failed', finished_at = now() WHERE name = 'alerts'");

        as("admin").post("/api/admin/projections/rebuild").then().statusCode(202)
                .body("projection", containsInAnyOrder(VIEWS.toArray()))
                .body("state", everyItem(equalTo("running")));
        for (String projection : VIEWS) {
            awaitDone(projection);
            assertKept(before, projection);
        }
        assertSumsKept(before);
        liveGoesOn(station, start.plusSeconds(60L * 26), 30, 26);
    }

    private static final List<String> VIEWS = List.of("stations", "observations", "alerts");

    /** A registered station with {@code count} observations a minute apart from {@code start}, in the read model. */
    private void stationWithObservations(String station, Instant start, int count) {
        command(register(station).encode()).then().statusCode(202);
        for (int i = 0; i < count; i++) {
            command(observation(station, start.plusSeconds(60L * i), i).encode()).then().statusCode(202);
        }
        long head = sql.count("SELECT max(position) FROM event");
        given().queryParam("minPosition", head).get("/api/stations/{id}", station).then().statusCode(200)
                .body("observationCount", equalTo(count));
    }

    /**
     * What a rebuild in the database must read as the live handlers do: a registration that changes the station
     * between its observations, an observation without its optional metrics, one with nanoseconds (the view keeps
     * microseconds), a late one in an earlier day, and two at the same instant (the later position is the latest).
     * Five observations more.
     */
    private void edgeCases(String station, Instant start) {
        command(register(station).put("name", "Renamed " + station).put("elevationM", 31.5).encode()).then()
                .statusCode(202);
        JsonObject sparse = observation(station, start.plusSeconds(60L * 40 + 7), 12.5);
        sparse.remove("windGustMs");
        sparse.remove("pressureHpa");
        sparse.remove("precipitationMm");
        command(sparse.encode()).then().statusCode(202);
        command(observation(station, start.plusSeconds(60L * 41).plusNanos(123_456_789), 13.25).encode()).then()
                .statusCode(202);
        command(observation(station, start.minus(Duration.ofDays(2)), -4.5).encode()).then().statusCode(202);
        Instant tie = start.plusSeconds(60L * 45);
        command(observation(station, tie, 14.0).encode()).then().statusCode(202);
        command(observation(station, tie, 15.0).encode()).then().statusCode(202);
        long head = sql.count("SELECT max(position) FROM event");
        given().queryParam("minPosition", head).get("/api/stations/{id}", station).then().statusCode(200)
                .body("observationCount", equalTo(35)).body("name", equalTo("Renamed " + station))
                .body("latest.temperatureC", equalTo(15.0f));
    }

    /**
     * After a rebuild: no rebuild schema is left, and an observation sent now is counted by the live view; gives its
     * position.
     */
    private long liveGoesOn(String station, Instant observedAt, double temperature, int expectedCount) {
        assertEquals(0, sql.count("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'rebuild_%'"));
        command(observation(station, observedAt, temperature).encode()).then().statusCode(202);
        long next = sql.count("SELECT max(position) FROM event");
        given().queryParam("minPosition", next).get("/api/stations/{id}", station).then().statusCode(200)
                .body("observationCount", equalTo(expectedCount));
        return next;
    }

    /** The views' rows and index names, and the bucket sums, before a rebuild. */
    private record Snapshot(java.util.Map<String, List<String>> rows, java.util.Map<String, List<String>> indexes,
            java.util.Map<String, double[]> sums) {
    }

    private Snapshot snapshot() {
        java.util.Map<String, List<String>> rows = new java.util.HashMap<>();
        java.util.Map<String, List<String>> indexes = new java.util.HashMap<>();
        VIEWS.forEach(view -> {
            rows.put(view, rows(view));
            indexes.put(view, indexes(view));
        });
        return new Snapshot(rows, indexes, sums());
    }

    private void awaitDone(String projection) {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> as("admin")
                .get("/api/admin/projections/{name}/rebuild", projection).then().statusCode(200)
                .body("state", equalTo("done")));
    }

    /** Whatever arrived meanwhile is in both; what was there before the rebuild is there after it. */
    private void assertKept(Snapshot before, String projection) {
        java.util.Set<String> after = new java.util.HashSet<>(rows(projection));
        List<String> lost = before.rows().get(projection).stream().filter(r -> !after.contains(r)).limit(5).toList();
        assertTrue(lost.isEmpty(), projection + ": rows lost by the rebuild, e.g. " + lost);
        assertEquals(before.indexes().get(projection), indexes(projection), projection + ": index names changed");
    }

    private void assertSumsKept(Snapshot before) {
        java.util.Map<String, double[]> after = sums();
        before.sums().forEach((bucket, values) -> {
            for (int i = 0; i < values.length; i++) {
                assertEquals(values[i], after.get(bucket)[i], 1e-6 * Math.max(1, Math.abs(values[i])),
                        "sum " + i + " of " + bucket);
            }
        });
    }

    @Test
    void the_alert_evaluator_is_not_rebuilt_and_an_unknown_projection_is_404() {
        as("admin").post("/api/admin/projections/alert-evaluator/rebuild").then().statusCode(409)
                .body("error", containsString("never rebuilt"));
        as("admin").post("/api/admin/projections/nothing/rebuild").then().statusCode(404)
                .body("error", containsString("rebuildable: "));
    }

    private static io.restassured.response.Response command(String body) {
        return as("operator").contentType("application/json").body(body).post("/api/commands");
    }

    /** The id of the dead letter of a command key, found through the listing of its source. */
    private long deadLetterOf(String commandId, String source) {
        List<JsonObject> found = new ArrayList<>();
        long after = 0;
        while (true) {
            var page = as("admin").queryParam("source", source).queryParam("after", after).queryParam("limit", 1000)
                    .get("/api/admin/dead-letters").then().statusCode(200).extract().jsonPath();
            List<java.util.Map<String, Object>> items = page.getList("items");
            items.stream().map(JsonObject::new).filter(i -> commandId.equals(i.getString("commandId")))
                    .forEach(found::add);
            Object next = page.get("nextAfter");
            if (next == null) {
                break;
            }
            after = ((Number) next).longValue();
        }
        assertEquals(1, found.size(), "dead letters of " + commandId);
        assertTrue(found.getFirst().getString("body") == null, "a listing carries no bodies");
        return found.getFirst().getLong("id");
    }

    private List<String> rows(String projection) {
        String table = switch (projection) {
            case "stations" -> "station_view";
            case "observations" -> "observation_rollup";
            default -> "alert_view";
        };
        // Sums of doubles folded in other groupings differ in their last bits: compared apart, with a tolerance.
        String columns = table.equals("observation_rollup") ? java.util.stream.Stream.of("t", "h", "w", "g", "p", "r")
                .map(m -> m + "_min, " + m + "_max, " + m + "_count")
                .collect(java.util.stream.Collectors.joining(", ", "station_id, resolution, bucket_start, ", ""))
                : "t.*";
        List<String> rows = new ArrayList<>();
        sql.query("SELECT ROW(" + columns + ")::text FROM " + table + " t").forEach(row -> rows.add(row.getString(0)));
        if (table.equals("observation_rollup")) {
            sql.query("SELECT 'observation ' || ROW(t.*)::text FROM observation_view t")
                    .forEach(row -> rows.add(row.getString(0)));
        }
        return rows;
    }

    /** The rollup sums by bucket. */
    private java.util.Map<String, double[]> sums() {
        java.util.Map<String, double[]> sums = new java.util.HashMap<>();
        sql.query("SELECT station_id || ' ' || resolution || ' ' || bucket_start, t_sum, h_sum, w_sum, g_sum, p_sum,"
                + " r_sum FROM observation_rollup").forEach(row -> {
                    double[] values = new double[6];
                    for (int i = 0; i < 6; i++) {
                        values[i] = row.getDouble(i + 1);
                    }
                    sums.put(row.getString(0), values);
                });
        return sums;
    }

    private List<String> indexes(String projection) {
        List<String> names = new ArrayList<>();
        sql.query("""
                SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()
                AND tablename IN ('station_view', 'observation_view', 'observation_rollup', 'alert_view')
                ORDER BY indexname""").forEach(row -> names.add(row.getString(0)));
        return names;
    }
}
