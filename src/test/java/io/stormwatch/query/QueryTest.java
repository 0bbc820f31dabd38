package io.stormwatch.query;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.AmqpTest;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** The query stream over AMQP against the HTTP read model, read-your-writes, and bad queries. */
@QuarkusTest
class QueryTest extends AmqpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    private long accepted(JsonObject command) {
        JsonObject reply = amqp.request(command.encode());
        assertThat(reply.getString("status")).as(reply.encode()).isEqualTo("accepted");
        return reply.getLong("position");
    }

    /** A station with observations over three hours, a rule and one alert; gives the position of the last write. */
    private long stationWithHistory(String station, Instant t0) {
        accepted(register(station));
        accepted(new JsonObject().put("type", "DefineAlertRule").put("ruleId", "q-" + station.toLowerCase())
                .put("name", "Heat").put("metric", "temperatureC").put("operator", ">").put("threshold", 30)
                .put("severity", "Moderate").put("stationIds", new JsonArray().add(station)));
        long last = 0;
        for (int i = 0; i < 12; i++) {
            last = accepted(observation(station, t0.plusSeconds(i * 900L), 20 + i * 1.5));
        }
        return last;
    }

    private Object http(String path, Map<String, ?> params, long minPosition) {
        Response response = given().queryParams(params).queryParam("minPosition", minPosition).get(path);
        response.then().statusCode(200).header("Stormwatch-Position", notNullValue());
        assertThat(Long.parseLong(response.header("Stormwatch-Position"))).isGreaterThanOrEqualTo(minPosition);
        return Json.decodeValue(response.asString());
    }

    private Object amqpResult(JsonObject query, long minPosition) {
        JsonObject reply = amqp.query(query.put("minPosition", minPosition).encode());
        assertThat(reply.getString("status")).as(reply.encode()).isEqualTo("ok");
        assertThat(reply.getLong("position")).isGreaterThanOrEqualTo(minPosition);
        return reply.getValue("result");
    }

    @Test
    void every_query_type_over_amqp_equals_its_http_answer() {
        String station = newStationId("QRY");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.HOURS).minus(Duration.ofHours(4));
        // Stations whose answers leave fields out or null: one never observed (latest is null), one whose latest
        // observation has only the required fields (the optional ones are left out, not null).
        String unobserved = newStationId("QRY");
        accepted(register(unobserved));
        String sparse = newStationId("QRY");
        accepted(register(sparse));
        accepted(observation(sparse, t0, 11.5).put("windGustMs", null).put("pressureHpa", null)
                .put("precipitationMm", null));
        long p = stationWithHistory(station, t0);
        // Settle everything the writes set off (the alert events come after the observation's position).
        await().atMost(WAIT).until(() -> sql.count("SELECT min(position) FROM projection_checkpoint WHERE name IN"
                + " ('stations', 'observations', 'alerts', 'alert-evaluator')") == sql.count(
                "SELECT max(position) FROM event"));
        String alertId = given().queryParam("stationId", station).get("/api/alerts").then().statusCode(200)
                .extract().path("items[0].alertId");
        String from = t0.toString();
        String to = t0.plus(Duration.ofHours(4)).toString();

        Map<JsonObject, Object[]> cases = new java.util.LinkedHashMap<>();
        for (String id : List.of(station, unobserved, sparse)) {
            cases.put(q("GetStation").put("stationId", id), new Object[] {"/api/stations/" + id, Map.of()});
        }
        cases.put(q("ListStations").put("limit", 1000).put("sort", "-name"),
                new Object[] {"/api/stations", Map.of("limit", 1000, "sort", "-name")});
        for (String resolution : List.of("raw", "hour", "day")) {
            cases.put(q("GetObservations").put("stationId", station).put("from", from).put("to", to)
                    .put("resolution", resolution), new Object[] {"/api/stations/" + station + "/observations",
                            Map.of("from", from, "to", to, "resolution", resolution)});
        }
        cases.put(q("ListAlerts").put("stationId", station).put("state", "active"),
                new Object[] {"/api/alerts", Map.of("stationId", station, "state", "active")});
        cases.put(q("GetAlert").put("alertId", alertId), new Object[] {"/api/alerts/" + alertId, Map.of()});
        cases.put(q("ListAlertRules"), new Object[] {"/api/rules", Map.of()});
        cases.put(q("GetStats"), new Object[] {"/api/stats", Map.of()});

        assertThat(cases.keySet().stream().map(c -> c.getString("type")).distinct())
                .containsExactlyInAnyOrderElementsOf(io.stormwatch.api.Query.typeNames());
        cases.forEach((query, http) -> {
            @SuppressWarnings("unchecked")
            Map<String, ?> params = (Map<String, ?>) http[1];
            assertThat(amqpResult(query.copy(), p)).as(query.getString("type")).isEqualTo(http((String) http[0], params, p));
        });
        JsonObject never = (JsonObject) http("/api/stations/" + unobserved, Map.of(), p);
        assertThat(never.containsKey("latest")).isTrue();
        assertThat(never.getValue("latest")).isNull();
        JsonObject latest = ((JsonObject) http("/api/stations/" + sparse, Map.of(), p)).getJsonObject("latest");
        assertThat(latest.fieldNames()).contains("temperatureC", "humidityPct", "windSpeedMs")
                .doesNotContain("windGustMs", "pressureHpa", "precipitationMm");
    }

    private static JsonObject q(String type) {
        return new JsonObject().put("type", type);
    }

    @Test
    void correlation_ids_match_under_200_concurrent_queries_from_4_clients() throws Exception {
        List<String> stations = new ArrayList<>();
        long registered = 0;
        for (int i = 0; i < 5; i++) {
            stations.add(newStationId("CORR"));
            registered = accepted(register(stations.getLast()));
        }
        // Read-your-writes: every query waits for the registrations, however fast the broker delivers them.
        long minPosition = registered;
        List<CompletableFuture<Void>> clients = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            clients.add(CompletableFuture.runAsync(() -> {
                try (AmqpClient client = new AmqpClient(vertx)) {
                    Map<String, String> asked = new HashMap<>();
                    for (int i = 0; i < 50; i++) {
                        String station = stations.get(i % stations.size());
                        // Half give their own correlation id; the others are answered under their message id.
                        String correlation = i % 2 == 0 ? "corr-" + UUID.randomUUID() : null;
                        asked.put(client.sendQuery(q("GetStation").put("stationId", station)
                                .put("minPosition", minPosition).encode(), UUID.randomUUID().toString(), correlation),
                                station);
                    }
                    asked.forEach((correlation, station) -> {
                        JsonObject reply = client.awaitReply(correlation);
                        assertThat(reply.getString("status")).as(reply.encode()).isEqualTo("ok");
                        assertThat(reply.getJsonObject("result").getString("stationId")).isEqualTo(station);
                    });
                }
            }));
        }
        CompletableFuture.allOf(clients.toArray(CompletableFuture[]::new)).get();
    }

    @Test
    void hour_and_day_buckets_equal_a_straight_sql_aggregation_of_the_raw_events() {
        String station = newStationId("BUCKET");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(2)).plus(Duration.ofHours(22));
        accepted(register(station));
        long last = 0;
        for (int i = 0; i < 40; i++) {
            last = accepted(observation(station, t0.plusSeconds(i * 397L), 10 + (i * 7 % 13)));
        }
        // Late and out of order: they must still land in their own (earlier) buckets.
        last = Math.max(last, accepted(observation(station, t0.plusSeconds(61), -5)));
        last = Math.max(last, accepted(observation(station, t0.plusSeconds(3700), 35)));
        String from = t0.minus(Duration.ofDays(1)).toString();
        String to = t0.plus(Duration.ofDays(2)).toString();

        for (String resolution : List.of("hour", "day")) {
            JsonArray buckets = new JsonObject(given().queryParam("from", from).queryParam("to", to)
                    .queryParam("resolution", resolution).queryParam("minPosition", last)
                    .get("/api/stations/{id}/observations", station).then().statusCode(200).extract().asString())
                    .getJsonArray("items");
            var expected = sql.query("""
                    SELECT date_trunc($2, (payload->>'observedAt')::timestamptz, 'UTC') AS bucket,
                           min((payload->>'temperatureC')::float8), max((payload->>'temperatureC')::float8),
                           avg((payload->>'temperatureC')::float8), count(*),
                           min((payload->>'humidityPct')::float8), max((payload->>'humidityPct')::float8)
                    FROM event WHERE type = 'ObservationRecorded' AND stream_id = $1
                    GROUP BY 1 ORDER BY 1""", "station-" + station, resolution);
            assertThat(buckets.size()).as(resolution + " buckets").isEqualTo(expected.size());
            int i = 0;
            for (var row : expected) {
                JsonObject bucket = buckets.getJsonObject(i++);
                assertThat(Instant.parse(bucket.getString("start"))).isEqualTo(row.getOffsetDateTime(0).toInstant());
                JsonObject t = bucket.getJsonObject("metrics").getJsonObject("temperatureC");
                assertThat(t.getDouble("min")).isEqualTo(row.getDouble(1));
                assertThat(t.getDouble("max")).isEqualTo(row.getDouble(2));
                assertThat(t.getDouble("mean")).isCloseTo(row.getDouble(3), org.assertj.core.data.Offset.offset(1e-9));
                assertThat(t.getLong("count")).isEqualTo(row.getLong(4));
                JsonObject h = bucket.getJsonObject("metrics").getJsonObject("humidityPct");
                assertThat(h.getDouble("min")).isEqualTo(row.getDouble(5));
                assertThat(h.getDouble("max")).isEqualTo(row.getDouble(6));
            }
        }
    }

    @Test
    void min_position_right_after_a_command_returns_the_commands_own_write() {
        String station = newStationId("RYW");
        accepted(register(station));
        long position = accepted(observation(station, Instant.now().minusSeconds(5), 17.25));
        given().queryParam("minPosition", position).get("/api/stations/{id}", station).then().statusCode(200)
                .body("observationCount", equalTo(1)).body("latest.temperatureC", equalTo(17.25f));
        long next = accepted(observation(station, Instant.now().minusSeconds(1), 18.5));
        JsonObject reply = amqp.query(q("GetStation").put("stationId", station).put("minPosition", next).encode());
        assertThat(reply.getLong("position")).isGreaterThanOrEqualTo(next);
        assertThat(reply.getJsonObject("result").getLong("observationCount")).isEqualTo(2);
        assertThat(reply.getJsonObject("result").getJsonObject("latest").getDouble("temperatureC")).isEqualTo(18.5);
    }

    @Test
    void min_position_past_the_end_times_out_within_the_bound_with_the_documented_error() {
        long beyond = sql.count("SELECT coalesce(max(position), 0) FROM event") + 1_000_000;
        long started = System.nanoTime();
        given().queryParam("minPosition", beyond).get("/api/stats").then().statusCode(503)
                .header("Retry-After", "1")
                .body("error", containsString("has not reached minPosition " + beyond + " within 2000 ms"));
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        // The wait is the bound (2 s in tests); the rest is the request itself on a busy 2-core machine.
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(5));

        JsonObject reply = amqp.query(q("GetStats").put("minPosition", beyond).encode());
        assertThat(reply.getString("status")).isEqualTo("error");
        assertThat(reply.getString("error")).contains("has not reached minPosition " + beyond);
    }

    @Test
    void a_bad_query_gets_its_error_and_the_next_query_is_answered() {
        String station = newStationId("BAD");
        long registered = accepted(register(station));
        assertThat(amqp.query(q("GetObservations").put("stationId", station).put("from", "yesterday")
                .put("to", Instant.now().toString()).encode()).getString("error"))
                .isEqualTo("from must be an ISO-8601 instant such as 2026-11-26T12:00:00Z");
        assertThat(amqp.query(q("GetObservations").put("stationId", station).put("from", Instant.now().toString())
                .put("to", Instant.now().minusSeconds(60).toString()).encode()).getString("error"))
                .isEqualTo("from must be before to");
        assertThat(amqp.query(q("GetTheWeather").encode()).getString("error"))
                .startsWith("unknown query type 'GetTheWeather' (expected one of GetStation, ListStations");
        assertThat(amqp.query(q("GetStation").put("stationId", "OSLO-9").encode()).getString("error"))
                .isEqualTo("unknown station OSLO-9");
        assertThat(amqp.query("{not json").getString("error")).startsWith("malformed JSON");

        String unanswerable = UUID.randomUUID().toString();
        amqp.sendQueryNoReply(q("GetStation").put("stationId", station).encode(), unanswerable);
        await().atMost(WAIT).until(() -> sql.count("SELECT count(*) FROM dead_letter WHERE message_id = $1"
                + " AND reason = 'a query without reply-to cannot be answered'", unanswerable) == 1);
        assertThat(amqp.query(q("GetStation").put("stationId", station).put("minPosition", registered).encode())
                .getString("status")).isEqualTo("ok");

        given().queryParam("sort", "password").get("/api/stations").then().statusCode(400)
                .body("error", containsString("sort must be one of stationId, name, observationCount"));
        given().queryParam("from", "2026-11-26T00:00:00Z").queryParam("to", "2026-11-27T00:00:00Z")
                .queryParam("resolution", "minute").get("/api/stations/{id}/observations", station).then()
                .statusCode(400).body("error", equalTo("resolution must be one of raw, hour, day, not 'minute'"));
        given().queryParam("from", "soon").queryParam("to", "2026-11-27T00:00:00Z")
                .get("/api/stations/{id}/observations", station).then().statusCode(400)
                .body("error", containsString("from must be an ISO-8601 instant"));
        given().get("/api/stations/{id}", "OSLO-9").then().statusCode(404)
                .body("error", equalTo("unknown station OSLO-9"));
    }
}
