package io.stormwatch.amqp;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.Sql;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;

/**
 * A valid command whose transaction always fails (here: a trigger refuses its event) must not hold back the
 * commands batched with it, must not be retried forever, and must not stop the stream.
 */
@QuarkusTest
class PoisonCommandTest {

    private static final String POISON_NAME = "poison-station";

    @Inject
    Vertx vertx;

    @Inject
    Sql sql;

    @BeforeEach
    void installPoison() {
        sql.run("""
                CREATE OR REPLACE FUNCTION test_refuse_poison() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF NEW.payload->>'name' = '%s' THEN RAISE EXCEPTION 'poisoned event refused'; END IF;
                    RETURN NEW;
                END $$""".formatted(POISON_NAME));
        sql.run("CREATE TRIGGER test_refuse_poison BEFORE INSERT ON event FOR EACH ROW EXECUTE FUNCTION test_refuse_poison()");
    }

    @AfterEach
    void removePoison() {
        sql.run("DROP TRIGGER IF EXISTS test_refuse_poison ON event");
        sql.run("DROP FUNCTION IF EXISTS test_refuse_poison()");
    }

    @Test
    void its_neighbours_are_executed_and_it_ends_on_the_broker_dead_letter_queue() {
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            List<String> neighbours = new ArrayList<>();
            neighbours.add(amqp.send(register(newStationId("BEFORE")).encode()));
            JsonObject poisonCommand = register(newStationId("POISON")).put("name", POISON_NAME);
            String poison = amqp.send(poisonCommand.encode());
            neighbours.add(amqp.send(register(newStationId("AFTER")).encode()));

            for (String neighbour : neighbours) {
                assertThat(amqp.awaitReply(neighbour).getString("status")).isEqualTo("accepted");
            }
            if (!BackingServices.external()) {
                // Redelivered with modified-failed and a growing delay until Artemis' max-delivery-attempts (10), then
                // dead-lettered by the broker, and from there kept in dead_letter for the admin API.
                await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> assertThat(sql.query(
                        "SELECT source, body FROM dead_letter WHERE message_id = $1", poison))
                        .extracting(row -> row.getString(0) + " " + row.getString(1))
                        .containsExactly("broker:weather.commands " + poisonCommand.encode()));
                // Listed and replayed through the admin API like any dead letter, once its cause is gone.
                long id = sql.count("SELECT id FROM dead_letter WHERE message_id = $1", poison);
                given().auth().preemptive().basic("admin", "admin-password")
                        .queryParam("source", "broker:weather.commands").get("/api/admin/dead-letters")
                        .then().statusCode(200).body("items.id", hasItem((int) id));
                removePoison();
                given().auth().preemptive().basic("admin", "admin-password")
                        .post("/api/admin/dead-letters/" + id + "/replay")
                        .then().statusCode(200).body("reply.status", equalTo("accepted"));
                assertThat(sql.count("SELECT count(*) FROM event WHERE type = 'StationRegistered'"
                        + " AND payload->>'stationId' = $1", poisonCommand.getString("stationId"))).isEqualTo(1);
            }
            // The stream is alive after the poison: a later command is still executed.
            assertThat(amqp.request(register(newStationId("LATER")).encode()).getString("status"))
                    .isEqualTo("accepted");
            assertThat(sql.count("SELECT count(*) FROM processed_command WHERE command_id = $1",
                    poisonCommand.getString("commandId")))
                    .as("nothing of the poisoned command is stored under its own key").isZero();
        }
    }
}
