package io.stormwatch.alerting;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.publication.CloudEventWriter;
import io.stormwatch.support.AmqpTest;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.EventSubscriber;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import jakarta.inject.Inject;

/**
 * Alerting end to end, through the broker and the database: rules and observations sent as commands, the alert
 * lifecycle checked in the read model and in the CAP messages a subscriber of weather.alerts receives.
 */
@QuarkusTest
class AlertingTest extends AmqpTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    EventLog log;

    private EventSubscriber alerts;
    private String station;
    private String rule;
    private Instant t0;

    @BeforeEach
    void stationAndSubscriber() {
        alerts = new EventSubscriber(vertx, "weather.alerts", "position");
        station = newStationId("ALERT");
        rule = "heat-" + station.toLowerCase();
        t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        accepted(register(station));
    }

    @AfterEach
    void closeSubscriber() {
        alerts.close();
    }

    /** temperatureC > 30 on this test's station only, clearing at 28 or below. */
    private JsonObject heatRule(long forSeconds, long expiresAfterSeconds) {
        return new JsonObject().put("type", "DefineAlertRule").put("commandId", UUID.randomUUID().toString())
                .put("ruleId", rule).put("name", "Heat").put("metric", "temperatureC").put("operator", ">")
                .put("threshold", 30).put("clearThreshold", 28).put("forSeconds", forSeconds)
                .put("severity", "Severe").put("expiresAfterSeconds", expiresAfterSeconds)
                .put("stationIds", new JsonArray().add(station));
    }

    private long accepted(JsonObject command) {
        JsonObject reply = amqp.request(command.encode());
        assertThat(reply.getString("status")).as(reply.encode()).isIn("accepted", "duplicate");
        return reply.getLong("position");
    }

    /** Sends an observation and waits until the evaluator and the alert view have taken it into account. */
    private long observe(int secondsAfterT0, double temperature) {
        long position = accepted(observation(station, t0.plusSeconds(secondsAfterT0), temperature));
        awaitHandled(position);
        return position;
    }

    private void awaitHandled(long position) {
        await().atMost(WAIT).until(() -> sql.count("SELECT min(position) FROM projection_checkpoint"
                + " WHERE name IN ('alert-evaluator', 'alerts')") >= position && sql.count(
                "SELECT position FROM projection_checkpoint WHERE name = 'alerts'") >= head());
    }

    private long head() {
        return sql.count("SELECT coalesce(max(position), 0) FROM event");
    }

    private List<JsonObject> capMessages() {
        return alerts.received().stream().map(r -> new JsonObject(r.body()))
                .filter(cap -> cap.getJsonArray("info").getJsonObject(0).getJsonArray("parameter").getJsonObject(0)
                        .getString("value").equals(station))
                .toList();
    }

    private List<String> msgTypes() {
        return capMessages().stream().map(cap -> cap.getString("msgType")).distinct().toList();
    }

    private JsonObject awaitCap(String msgType) {
        await().atMost(WAIT).until(() -> capMessages().stream().anyMatch(c -> c.getString("msgType").equals(msgType)));
        return capMessages().stream().filter(c -> c.getString("msgType").equals(msgType)).findFirst().orElseThrow();
    }

    private String activeAlertId() {
        return given().queryParam("stationId", station).queryParam("state", "active").get("/api/alerts")
                .then().statusCode(200).body("items.size()", equalTo(1))
                .extract().path("items[0].alertId");
    }

    private int alertCount() {
        return given().queryParam("stationId", station).get("/api/alerts").then().statusCode(200)
                .extract().path("items.size()");
    }

    @Test
    void a_threshold_crossing_raises_exactly_one_alert_and_a_subscriber_receives_the_cap_alert() {
        accepted(heatRule(0, 21600));
        observe(0, 25);
        long crossing = observe(60, 31);
        observe(120, 33);

        String alertId = activeAlertId();
        JsonObject cap = awaitCap("Alert");
        assertThat(cap.getString("identifier")).startsWith("stormwatch-");
        assertThat(cap.getString("sender")).isEqualTo("stormwatch@example.org");
        assertThat(cap.getString("sent")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d[+-]\\d\\d:\\d\\d");
        assertThat(cap.getString("status")).isEqualTo("Actual");
        assertThat(cap.getString("scope")).isEqualTo("Public");
        assertThat(cap.containsKey("references")).isFalse();
        JsonObject info = cap.getJsonArray("info").getJsonObject(0);
        assertThat(info.getJsonArray("category").getList()).containsExactly("Met");
        assertThat(info.getString("event")).isEqualTo("Heat");
        assertThat(info.getString("urgency")).isEqualTo("Immediate");
        assertThat(info.getString("severity")).isEqualTo("Severe");
        assertThat(info.getString("certainty")).isEqualTo("Observed");
        assertThat(info.getString("onset")).isEqualTo(CapMessages.time(t0.plusSeconds(60)));
        assertThat(info.getString("expires")).isNotBlank();
        assertThat(info.getString("headline")).isEqualTo("Heat at " + station + ": temperatureC 31 > 30");
        assertThat(info.getString("description")).contains("measured temperatureC 31").contains("> 30");
        assertThat(info.getJsonArray("parameter").stream().map(p -> ((JsonObject) p).getString("valueName")))
                .containsExactly("stationId", "ruleId", "metric", "value", "threshold");
        assertThat(info.getJsonArray("area").getJsonObject(0).getJsonArray("circle").getString(0))
                .isEqualTo("59.91,10.75 10");
        assertThat(info.getJsonArray("area").getJsonObject(0).getString("areaDesc"))
                .isEqualTo("Within 10 km of station " + station);
        assertThat(cap.getString("sent")).as("UTC, as CAP 1.2 writes it").endsWith("-00:00");
        assertThat(info.containsKey("responseType")).as("only a Cancel says AllClear").isFalse();

        // The alert's cause is the crossing observation.
        RecordedEvent raised = log.stream("alert-" + alertId, List.of(), Long.MAX_VALUE).await().atMost(WAIT)
                .getFirst();
        String observationId = sql.row("SELECT event_id::text FROM event WHERE position = $1", crossing).getString(0);
        assertThat(new JsonObject(raised.metadata()).getString("causationId")).isEqualTo(observationId);
        assertThat(alertCount()).isEqualTo(1);
        assertThat(capMessages()).hasSize(1);
    }

    @Test
    void a_value_inside_the_band_keeps_the_alert_without_a_new_message() {
        accepted(heatRule(0, 21600));
        observe(0, 31);
        awaitCap("Alert");
        observe(60, 29);
        observe(120, 30);
        activeAlertId();
        assertThat(alertCount()).isEqualTo(1);
        assertThat(msgTypes()).containsExactly("Alert");
    }

    @Test
    void going_back_past_the_clear_threshold_sends_a_cancel_that_references_the_alert() {
        accepted(heatRule(0, 21600));
        observe(0, 31);
        JsonObject alert = awaitCap("Alert");
        observe(60, 28);
        JsonObject cancel = awaitCap("Cancel");
        assertThat(cancel.getString("references")).isEqualTo(alert.getString("sender") + ","
                + alert.getString("identifier") + "," + alert.getString("sent"));
        assertThat(cancel.getJsonArray("info").getJsonObject(0).getJsonArray("responseType").getList())
                .containsExactly("AllClear");
        String alertId = activeOrLastAlertId();
        String xml = given().accept("application/cap+xml").get("/api/alerts/{id}", alertId)
                .then().statusCode(200).extract().asString();
        assertThat(xml).contains("<msgType>Cancel</msgType>", "<responseType>AllClear</responseType>");
        assertValidCap(xml);
        given().queryParam("stationId", station).get("/api/alerts").then()
                .body("items[0].state", equalTo("cleared")).body("items[0].clearReason", equalTo("condition-cleared"));
    }

    @Test
    void for_seconds_holds_the_alert_back_until_the_condition_has_held_long_enough() {
        accepted(heatRule(600, 21600));
        observe(0, 31);
        observe(300, 32);
        assertThat(alertCount()).isZero();
        observe(600, 31);
        assertThat(alertCount()).isEqualTo(1);
        awaitCap("Alert");
    }

    @Test
    void a_duplicate_observation_raises_nothing_twice() {
        accepted(heatRule(0, 21600));
        JsonObject hot = observation(station, t0.plusSeconds(10), 35);
        long position = accepted(hot);
        assertThat(accepted(hot)).as("the same command again: a duplicate, no new event").isEqualTo(position);
        awaitHandled(position);

        // The broker delivers the observation's event again to every subscriber of weather.events.
        RecordedEvent event = log.after(position - 1, EventFilter.ALL, 1).await().atMost(WAIT).getFirst();
        amqp.publish(BackingServices.topicPrefix() + "weather.events", CloudEventWriter.toMessage(event, "/stormwatch"));
        long after = observe(20, 36);
        assertThat(after).isGreaterThan(position);
        assertThat(alertCount()).isEqualTo(1);
        assertThat(sql.count("SELECT count(*) FROM event WHERE type = 'AlertRaised' AND metadata->>'causationId' = $1",
                event.eventId().toString())).isEqualTo(1);
    }

    @Test
    void removing_the_rule_cancels_its_alerts() {
        accepted(heatRule(0, 21600));
        observe(0, 31);
        String alertId = activeAlertId();
        long removed = accepted(new JsonObject().put("type", "RemoveAlertRule").put("ruleId", rule));
        awaitHandled(removed);
        JsonObject cancel = awaitCap("Cancel");
        assertThat(cancel.getJsonArray("info").getJsonObject(0).getJsonArray("parameter").stream()
                .map(p -> ((JsonObject) p).getString("value"))).contains("rule-removed");
        given().get("/api/alerts/{id}", alertId).then().statusCode(200)
                .body("state", equalTo("cleared")).body("clearReason", equalTo("rule-removed"));
        given().get("/api/rules").then().statusCode(200).body("ruleId", org.hamcrest.Matchers.not(hasItems(rule)));
        JsonObject again = amqp.request(new JsonObject().put("type", "RemoveAlertRule").put("ruleId", rule).encode());
        assertThat(again.getString("error")).isEqualTo("unknown rule " + rule);
    }

    @Test
    void acknowledgement_is_recorded_and_shown() {
        accepted(heatRule(0, 21600));
        observe(0, 31);
        String alertId = activeAlertId();
        long ack = accepted(new JsonObject().put("type", "AcknowledgeAlert").put("alertId", alertId)
                .put("by", "duty-forecaster").put("note", "crews informed"));
        awaitHandled(ack);
        given().get("/api/alerts/{id}", alertId).then().statusCode(200)
                .body("acknowledgement.by", equalTo("duty-forecaster"))
                .body("acknowledgement.note", equalTo("crews informed"))
                .body("history.type", org.hamcrest.Matchers.contains("AlertRaised", "AlertAcknowledged"));

        observe(60, 20);
        JsonObject late = amqp.request(new JsonObject().put("type", "AcknowledgeAlert").put("alertId", alertId)
                .put("by", "someone").encode());
        assertThat(late.getString("error")).isEqualTo("alert " + alertId
                + " is cleared; only an active alert can be acknowledged");
        JsonObject unknown = amqp.request(new JsonObject().put("type", "AcknowledgeAlert").put("alertId", "nope")
                .put("by", "someone").encode());
        assertThat(unknown.getString("error")).isEqualTo("unknown alert nope");
    }

    @Test
    void expiry_reissues_an_alert_while_data_comes_and_clears_it_when_the_station_goes_quiet() {
        accepted(heatRule(0, 3600));
        observe(0, 31);
        String alertId = activeAlertId();
        observe(30, 32);   // fresh data before the deadline
        reachDeadline(alertId);
        JsonObject update = awaitCap("Update");
        JsonObject updated = update.getJsonArray("info").getJsonObject(0);
        assertThat(updated.getJsonArray("parameter").stream().map(p -> ((JsonObject) p).getString("value")))
                .contains("expiry-extended", "32");
        assertThat(Instant.parse(updated.getString("expires").replace("-00:00", "Z")))
                .isAfter(Instant.now().plusSeconds(3000));
        reachDeadline(alertId);   // and no data since
        JsonObject cancel = awaitCap("Cancel");
        assertThat(cancel.getString("references").split(" ")).hasSize(2);
        given().get("/api/alerts/{id}", alertId).then().statusCode(200)
                .body("clearReason", equalTo("expired"))
                .body("history.type", org.hamcrest.Matchers.contains("AlertRaised", "AlertUpdated", "AlertCleared"));
    }

    /** The durable deadline passes: the clock is not ours, so the test moves the deadline to now. */
    private void reachDeadline(String alertId) {
        await().atMost(WAIT).until(() -> sql.count("SELECT count(*) FROM alert_state WHERE active_alert_id = $1",
                alertId) == 1);
        sql.query("UPDATE alert_state SET expires_at = now() - interval '1 second' WHERE active_alert_id = $1",
                alertId);
    }

    @Test
    void the_cap_xml_carries_every_required_cap_1_2_element_in_order() throws Exception {
        accepted(heatRule(0, 21600));
        observe(0, 31);
        String alertId = activeAlertId();
        String xml = given().accept("application/cap+xml").get("/api/alerts/{id}", alertId)
                .then().statusCode(200).contentType("application/cap+xml").extract().asString();

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document doc = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
        Element alert = doc.getDocumentElement();
        assertThat(alert.getLocalName()).isEqualTo("alert");
        assertThat(alert.getNamespaceURI()).isEqualTo("urn:oasis:names:tc:emergency:cap:1.2");
        List<String> alertOrder = List.of("identifier", "sender", "sent", "status", "msgType", "source", "scope",
                "restriction", "addresses", "code", "note", "references", "incidents", "info");
        assertThat(children(alert)).containsSubsequence("identifier", "sender", "sent", "status", "msgType", "scope",
                "info");
        assertInOrder(children(alert), alertOrder);
        Element info = child(alert, "info");
        List<String> infoOrder = List.of("language", "category", "event", "responseType", "urgency", "severity",
                "certainty", "audience", "eventCode", "effective", "onset", "expires", "senderName", "headline",
                "description", "instruction", "web", "contact", "parameter", "resource", "area");
        assertThat(children(info)).containsSubsequence("category", "event", "urgency", "severity", "certainty",
                "onset", "expires", "headline", "description", "parameter", "area");
        assertInOrder(children(info), infoOrder);
        Element area = child(info, "area");
        assertThat(children(area)).containsExactly("areaDesc", "circle");
        assertThat(child(area, "circle").getTextContent()).isEqualTo("59.91,10.75 10");
        assertThat(child(alert, "sent").getTextContent()).endsWith("-00:00");
        assertValidCap(xml);
        // The schema does check: a value outside CAP's enumeration is refused.
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> assertValidCap(xml.replace("<certainty>Observed<",
                "<certainty>Measured<"))).isInstanceOf(AssertionError.class).hasMessageContaining("Measured");
        assertThat(child(alert, "msgType").getTextContent()).isEqualTo("Alert");
        assertThat(child(child(info, "parameter"), "valueName").getTextContent()).isEqualTo("stationId");
    }

    @Test
    void redefining_the_rule_reissues_its_active_alert_as_an_update() {
        accepted(heatRule(0, 21600));
        observe(0, 31);
        JsonObject alert = awaitCap("Alert");
        long redefined = accepted(heatRule(0, 21600).put("severity", "Extreme").put("name", "Extreme heat"));
        awaitHandled(redefined);
        JsonObject update = awaitCap("Update");
        JsonObject info = update.getJsonArray("info").getJsonObject(0);
        assertThat(info.getString("severity")).isEqualTo("Extreme");
        assertThat(info.getString("event")).isEqualTo("Extreme heat");
        assertThat(update.getString("references")).contains(alert.getString("identifier"));
        given().get("/api/rules").then().statusCode(200)
                .body("find { it.ruleId == '" + rule + "' }.severity", equalTo("Extreme"));
        assertThat(alertCount()).isEqualTo(1);
    }

    @Test
    void alerts_are_listed_newest_first_a_page_at_a_time() {
        accepted(heatRule(0, 21600));
        observe(0, 31);
        observe(60, 20);
        observe(120, 32);
        observe(180, 20);
        observe(240, 33);
        var page = given().queryParam("stationId", station).queryParam("limit", 2).get("/api/alerts").then()
                .statusCode(200).body("items.size()", equalTo(2)).body("items[0].state", equalTo("active"))
                .body("items[1].state", equalTo("cleared")).extract();
        String cursor = page.path("nextCursor");
        assertThat(cursor).isNotNull();
        List<String> ids = new ArrayList<>(page.<List<String>>path("items.alertId"));
        var last = given().queryParam("stationId", station).queryParam("limit", 2).queryParam("cursor", cursor)
                .get("/api/alerts").then().statusCode(200).body("items.size()", equalTo(1))
                .body("nextCursor", equalTo(null)).body("items[0].state", equalTo("cleared")).extract();
        ids.add(last.path("items[0].alertId"));
        assertThat(ids).as("three alerts, each once").doesNotHaveDuplicates().hasSize(3);
        assertThat(ids.getFirst()).isEqualTo(activeAlertId());
        given().queryParam("cursor", "not-ours").get("/api/alerts").then().statusCode(400)
                .body("error", equalTo("cursor is not one this service gave out"));
        given().queryParam("state", "sleeping").get("/api/alerts").then().statusCode(400)
                .body("error", equalTo("state must be one of active, cleared, all, not 'sleeping'"));
    }

    @Test
    void invalid_rules_are_rejected_with_a_specific_error() {
        JsonObject unknownMetric = heatRule(0, 60).put("metric", "dewPointC");
        assertThat(amqp.request(unknownMetric.encode()).getString("error")).startsWith("metric must be one of");
        JsonObject wrongSide = heatRule(0, 60).put("clearThreshold", 32);
        assertThat(amqp.request(wrongSide.encode()).getString("error"))
                .isEqualTo("clearThreshold 32.0 must not be above threshold 30.0 for operator > (it must lie on the"
                        + " safe side)");
    }

    /** Valid against the CAP 1.2 schema (src/test/resources/cap/CAP-v1.2.xsd, transcribed from the standard). */
    private static void assertValidCap(String xml) {
        try {
            Schema schema = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI)
                    .newSchema(AlertingTest.class.getResource("/cap/CAP-v1.2.xsd"));
            schema.newValidator().validate(new StreamSource(new StringReader(xml)));
        } catch (SAXException | IOException e) {
            throw new AssertionError("not valid CAP 1.2: " + e.getMessage() + "\n" + xml, e);
        }
    }

    /** The station's newest alert, active or not. */
    private String activeOrLastAlertId() {
        return given().queryParam("stationId", station).queryParam("state", "all").get("/api/alerts").then()
                .statusCode(200).extract().jsonPath().getString("items[0].alertId");
    }

    private static List<String> children(Element parent) {
        List<String> names = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e) {
                names.add(e.getLocalName());
            }
        }
        return names;
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getLocalName().equals(name)) {
                return e;
            }
        }
        throw new AssertionError("no " + name + " in " + parent.getLocalName());
    }

    /** Every element is one the standard knows there, and they come in the standard's order. */
    private static void assertInOrder(List<String> actual, List<String> order) {
        int last = -1;
        for (String name : actual) {
            int index = order.indexOf(name);
            assertThat(index).as("%s is a CAP element here", name).isNotNegative();
            assertThat(index).as("%s in CAP order", name).isGreaterThanOrEqualTo(last);
            last = index;
        }
    }
}
