package io.stormwatch.rest;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** POST /api/commands: the AMQP command contract over HTTP, for role operator only. */
@QuarkusTest
class CommandGatewayTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    private static io.restassured.specification.RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, user + "-password").contentType("application/json");
    }

    @Test
    void without_credentials_it_is_401_and_with_the_wrong_role_403() {
        given().contentType("application/json").body(register(newStationId("GW")).encode())
                .post("/api/commands").then().statusCode(401);
        as("viewer").body(register(newStationId("GW")).encode()).post("/api/commands").then().statusCode(403);
    }

    @Test
    void an_operator_gets_the_same_replies_as_over_amqp() {
        String station = newStationId("GW");
        as("operator").body(register(station).encode()).post("/api/commands").then().statusCode(202)
                .body("status", equalTo("accepted")).body("position", notNullValue());
        JsonObject observation = observation(station, Instant.now().minusSeconds(5), 9.5);
        int position = as("operator").body(observation.encode()).post("/api/commands").then().statusCode(202)
                .body("status", equalTo("accepted")).extract().path("position");
        as("operator").body(observation.encode()).post("/api/commands").then().statusCode(202)
                .body("status", equalTo("duplicate")).body("position", equalTo(position));
        as("operator").body(observation(station, Instant.now(), 9.5).put("humidityPct", 120).encode())
                .post("/api/commands").then().statusCode(400)
                .body("status", equalTo("rejected")).body("error", equalTo("humidityPct must be between 0 and 100"));
        as("operator").body("{not json").post("/api/commands").then().statusCode(400)
                .body("error", org.hamcrest.Matchers.startsWith("malformed JSON"));
        // The command's own write, read back at once.
        given().queryParam("minPosition", position).get("/api/stations/{id}", station).then().statusCode(200)
                .body("observationCount", equalTo(1));
    }

    /** A cross-origin form or text/plain POST carries the operator's credentials but no preflight: refused. */
    @Test
    void only_json_is_accepted_so_a_cross_origin_simple_request_cannot_send_commands() throws Exception {
        String command = register(newStationId("CSRF")).encode();
        String credentials = Base64.getEncoder().encodeToString("operator:operator-password".getBytes());
        HttpClient http = HttpClient.newHttpClient();
        for (String type : List.of("text/plain", "application/x-www-form-urlencoded", "multipart/form-data")) {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                            + "/api/commands")).header("Content-Type", type).header("Authorization", "Basic " + credentials)
                    .POST(HttpRequest.BodyPublishers.ofString(command)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as(type).isEqualTo(415);
        }
        http.close();
    }

    @Test
    void every_answer_carries_the_security_headers() {
        for (var response : List.of(given().get("/api/stations"), given().get("/api/nothing-here"),
                given().contentType("application/json").body("{}").post("/api/commands"))) {
            response.then()
                    .header("X-Content-Type-Options", "nosniff")
                    .header("X-Frame-Options", "DENY")
                    .header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
                    .header("Referrer-Policy", "no-referrer");
        }
    }

    /** A user with role station sends for the station it is named as, and nothing else, as over AMQP. */
    @Test
    void a_station_user_sends_only_for_its_own_station() {
        var station = given().auth().preemptive().basic("OSLO-1", "OSLO-1-password").contentType("application/json");
        station.body(register("OSLO-1").encode()).post("/api/commands").then().statusCode(202);
        String other = newStationId("NOT-OSLO");
        given().auth().preemptive().basic("OSLO-1", "OSLO-1-password").contentType("application/json")
                .body(register(other).encode()).post("/api/commands").then().statusCode(400)
                .body("error", equalTo("sender OSLO-1 may not register station " + other
                        + ": a station sends only for itself"));
        given().auth().preemptive().basic("OSLO-1", "OSLO-1-password").contentType("application/json")
                .body(new JsonObject().put("type", "RemoveAlertRule").put("ruleId", "any-rule").encode())
                .post("/api/commands").then().statusCode(400)
                .body("error", equalTo("sender OSLO-1 may not remove alert rules: that needs an operator"));
    }
}
