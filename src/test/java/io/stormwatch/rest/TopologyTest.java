package io.stormwatch.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.BackingServices;

@QuarkusTest
class TopologyTest {

    private static final String COMMANDS = "addresses.find { it.address == '" + BackingServices.queuePrefix()
            + "weather.commands' }";
    private static final String EVENTS = "addresses.find { it.address == '" + BackingServices.topicPrefix()
            + "weather.events' }";

    private static final String ALERTS = "addresses.find { it.address == '" + BackingServices.topicPrefix()
            + "weather.alerts' }";

    @Test
    void every_address_and_link_is_listed_with_its_routing_and_types() {
        given().get("/api/topology").then().statusCode(200)
                .body(COMMANDS + ".routing", equalTo("anycast"))
                .body(COMMANDS + ".directions", containsInAnyOrder("in", "out"))
                .body(COMMANDS + ".messageTypes", hasItems("RegisterStation", "RecordObservation", "RecordObservations"))
                .body(EVENTS + ".routing", equalTo("multicast"))
                .body(EVENTS + ".directions", contains("out"))
                .body(EVENTS + ".messageTypes", hasItems("StationRegistered", "ObservationRecorded", "AlertRaised"))
                .body(ALERTS + ".routing", equalTo("multicast"))
                .body(ALERTS + ".messageTypes", contains("CAP Alert", "CAP Update", "CAP Cancel"))
                .body("links.find { it.handler == 'alert-evaluator' }.messageTypes",
                        contains("ObservationRecorded", "AlertRuleDefined", "AlertRuleRemoved"))
                .body("links.find { it.handler == 'stations' }.cardinality", equalTo("one-to-many"))
                .body("links.find { it.handler == 'stations' }.address", equalTo("(event store)"))
                .body("links.find { it.handler == 'stations' }.messageTypes",
                        contains("StationRegistered", "ObservationRecorded"))
                .body("links.find { it.handler == 'command-handler' }.cardinality", equalTo("one-to-one"))
                .body("links.find { it.handler == 'event-publisher' }.direction", equalTo("out"));
    }
}
