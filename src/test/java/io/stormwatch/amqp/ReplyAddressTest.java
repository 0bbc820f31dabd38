package io.stormwatch.amqp;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.register;
import static io.stormwatch.support.Management.management;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.Sql;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpReceiver;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * A reply goes out with the service's own rights, so only addresses meant for replies get one: never the service's
 * own addresses (a reply-to weather.events put a client's words on every subscriber's stream, one to
 * weather.commands came back as a command), nor a queue outside the reply prefix.
 */
@QuarkusTest
class ReplyAddressTest {

    @Inject
    Vertx vertx;

    @Inject
    Sql sql;

    @Test
    void replies_aimed_at_the_services_own_addresses_are_never_sent() {
        try (AmqpClient amqp = new AmqpClient(vertx); Listener events = new Listener(amqp, topic("weather.events"));
                Listener alerts = new Listener(amqp, topic("weather.alerts"))) {
            double refusedBefore = refused("own-address");
            long deadLettersBefore = sql.count("SELECT count(*) FROM dead_letter");
            List<String> targets = List.of(topic("weather.events"), topic("weather.alerts"), queue("weather.commands"),
                    queue("weather.queries"));
            for (String replyTo : targets) {
                JsonObject command = register(newStationId("REPLYTO"));
                String id = send(amqp, command, replyTo);
                await().atMost(Duration.ofSeconds(20)).until(() -> sql.count(
                        "SELECT count(*) FROM processed_command WHERE command_id = $1", command.getString("commandId")) == 1);
                // A reply goes out right after the commit: give one the time to arrive where it must not.
                await().pollDelay(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(2)).until(() -> true);
                assertThat(events.seen(id)).as("a reply to %s on weather.events", replyTo).isFalse();
                assertThat(alerts.seen(id)).as("a reply to %s on weather.alerts", replyTo).isFalse();
            }
            assertThat(refused("own-address") - refusedBefore).isEqualTo(targets.size());
            assertThat(sql.count("SELECT count(*) FROM dead_letter")).as("no reply came back in as a command")
                    .isEqualTo(deadLettersBefore);
        }
    }

    @Test
    void a_queue_outside_the_reply_prefix_gets_no_reply_and_a_dynamic_node_does() {
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            String other = queue("someone.elses.queue." + UUID.randomUUID());
            try (Listener elsewhere = new Listener(amqp, other)) {
                double before = refused("not-a-reply-address");
                String id = send(amqp, register(newStationId("ELSEWHERE")), other);
                await().atMost(Duration.ofSeconds(20)).until(() -> refused("not-a-reply-address") > before);
                await().pollDelay(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> true);
                assertThat(elsewhere.seen(id)).isFalse();
            }
            if (BackingServices.artemis()) {
                // Artemis creates one and names it.
                AmqpReceiver dynamic = amqp.connection().createDynamicReceiverAndAwait();
                Map<String, AmqpMessage> replies = new ConcurrentHashMap<>();
                dynamic.handler(m -> replies.put(String.valueOf(m.correlationId()), m));
                String id = send(amqp, register(newStationId("DYNAMIC")), dynamic.address());
                await().atMost(Duration.ofSeconds(20)).until(() -> replies.containsKey(id));
                assertThat(new JsonObject(replies.get(id).bodyAsBinary().toString()).getString("status"))
                        .isEqualTo("accepted");
            }
        }
    }

    private static String send(AmqpClient amqp, JsonObject command, String replyTo) {
        String id = UUID.randomUUID().toString();
        amqp.publish(queue("weather.commands"), AmqpMessage.create().id(id).replyTo(replyTo)
                .withBufferAsBody(Buffer.buffer(command.encode())).contentType("application/json").build());
        return id;
    }

    private static double refused(String reason) {
        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("stormwatch_replies_refused_total{")
                        && l.contains("reason=\"" + reason + "\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static String queue(String name) {
        return BackingServices.queuePrefix() + name;
    }

    private static String topic(String name) {
        return BackingServices.topicPrefix() + name;
    }

    /** Everything that arrives on an address, by message id and correlation id. */
    private static final class Listener implements AutoCloseable {
        private final Map<String, Boolean> ids = new ConcurrentHashMap<>();
        private final AmqpReceiver receiver;

        Listener(AmqpClient amqp, String address) {
            receiver = amqp.connection().createReceiverAndAwait(address, new AmqpReceiverOptions());
            receiver.handler(m -> {
                ids.put(String.valueOf(m.id()), true);
                ids.put(String.valueOf(m.correlationId()), true);
            });
        }

        boolean seen(String id) {
            return ids.containsKey(id);
        }

        @Override
        public void close() {
            receiver.closeAndForget();
        }
    }
}
