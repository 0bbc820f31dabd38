package io.stormwatch.amqp;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.Sql;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * Stations are who the broker says they are: each command is checked against the authenticated user the broker
 * stamps on it (_AMQ_VALIDATED_USER, as Artemis does with populate-validated-user). The tests' embedded broker runs
 * without security, so the test stamps the property itself, as the broker would; what is under test is the service's
 * rule. A station sends only for itself; rules need an operator; a message with no identity is refused.
 */
@QuarkusTest
@TestProfile(SenderIdentityTest.Enforced.class)
class SenderIdentityTest {

    public static class Enforced implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("stormwatch.identity.enforce", "true", "stormwatch.identity.operators", "ops");
        }
    }

    @Inject
    Vertx vertx;

    @Inject
    Sql sql;

    @Test
    void a_station_sends_only_for_itself_and_rules_need_an_operator() {
        // RabbitMQ's identity is the AMQP user-id, which it checks against the login: not one a test can stamp.
        assumeTrue(BackingServices.artemis(), "replies to dynamic nodes and stamps Artemis' validated user");
        String station = newStationId("SELF");
        String other = newStationId("OTHER");
        // Replies to a dynamic node: a known sender's named reply queue must be its own (replies.<sender>.).
        try (AmqpClient amqp = new AmqpClient(vertx, true)) {
            assertThat(send(amqp, register(station), station).getString("status")).isEqualTo("accepted");
            assertThat(send(amqp, register(other), "ops").getString("status")).isEqualTo("accepted");
            assertThat(send(amqp, observation(station, Instant.now().minusSeconds(5), 3), station)
                    .getString("status")).isEqualTo("accepted");

            JsonObject impersonation = send(amqp, observation(other, Instant.now().minusSeconds(5), 3), station);
            assertThat(impersonation.getString("status")).isEqualTo("rejected");
            assertThat(impersonation.getString("error"))
                    .isEqualTo("sender " + station + " may not record observations for " + other
                            + ": a station sends only for itself");
            JsonObject renaming = send(amqp, register(other).put("name", "Mine now"), station);
            assertThat(renaming.getString("error")).contains("may not register station " + other);
            JsonObject batch = send(amqp, new JsonObject().put("type", "RecordObservations").put("observations",
                    new JsonArray().add(observation(station, Instant.now().minusSeconds(4), 1))
                            .add(observation(other, Instant.now().minusSeconds(4), 1))), station);
            assertThat(batch.getString("error")).contains("may not record observations for " + other);

            JsonObject rule = new JsonObject().put("type", "DefineAlertRule").put("ruleId", "r-" + station.toLowerCase())
                    .put("name", "Heat").put("metric", "temperatureC").put("operator", ">").put("threshold", 30)
                    .put("severity", "Minor").put("stationIds", new JsonArray().add(station));
            assertThat(send(amqp, rule, station).getString("error")).contains("needs an operator");
            assertThat(send(amqp, rule.copy().put("commandId", "rule-by-ops-" + station), "ops").getString("status"))
                    .isEqualTo("accepted");

            JsonObject anonymous = amqp.awaitReply(amqp.send(register(newStationId("ANON")).encode()));
            assertThat(anonymous.getString("error")).contains("the sender is not known");

            // A reply aimed at another client's reply queue, with a correlation id of the sender's choosing, is not sent.
            String victim = "replies." + other.toLowerCase() + ".inbox";
            AtomicReference<AmqpMessage> stolen = new AtomicReference<>();
            var inbox = amqp.connection().createReceiverAndAwait(victim, new AmqpReceiverOptions().addCapability("queue"));
            inbox.handler(stolen::set);
            String id = java.util.UUID.randomUUID().toString();
            amqp.publish("weather.commands", AmqpMessage.create().id(id).replyTo(victim)
                    .applicationProperties(new JsonObject().put("_AMQ_VALIDATED_USER", station))
                    .withBufferAsBody(Buffer.buffer(observation(station, Instant.now().minusSeconds(2), 2).encode()))
                    .contentType("application/json").build());
            await().pollDelay(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> true);
            assertThat(stolen.get()).as("a reply in another client's queue").isNull();
            inbox.closeAndForget();
        }
        assertThat(sql.count("SELECT count(*) FROM event WHERE stream_id = $1 AND type = 'ObservationRecorded'",
                "station-" + other)).as("nothing recorded for the impersonated station").isZero();
        assertThat(sql.count("SELECT count(*) FROM dead_letter WHERE reason LIKE $1", "sender " + station + " may not%"))
                .as("each refusal dead-lettered").isEqualTo(4);
    }

    private static JsonObject send(AmqpClient amqp, JsonObject command, String user) {
        return amqp.awaitReply(amqp.send(command.encode(), new JsonObject().put("_AMQ_VALIDATED_USER", user)));
    }
}
