package io.stormwatch.rest;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;

/** POST /api/commands: the AMQP command contract over HTTP, for role operator only. */
@QuarkusTest
class CommandGatewayTest {

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
}
