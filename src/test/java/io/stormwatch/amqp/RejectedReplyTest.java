package io.stormwatch.amqp;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.register;
import static io.stormwatch.support.Management.management;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.AmqpClient;
import io.stormwatch.support.BackingServices;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpReceiver;
import io.vertx.mutiny.core.Vertx;

/**
 * A reply the broker rejects fails alone: the query and command streams go on answering. SmallRye AMQP 4.33's
 * outgoing channel is cancelled for good by one rejected message (smallrye-reactive-messaging #3390, fixed in
 * 4.36), so this fails if replies move onto it before then. The broker rejects the reply for real: the reply queue
 * is held full (Artemis address-full-policy FAIL, set through its management address).
 */
@QuarkusTest
class RejectedReplyTest {

    @Inject
    Vertx vertx;

    @Test
    void a_reply_the_broker_rejects_fails_alone_and_both_streams_go_on() {
        assumeFalse(BackingServices.external(), "Artemis' address settings: the embedded broker only");
        try (AmqpClient amqp = new AmqpClient(vertx)) {
            String full = "replies.full." + UUID.randomUUID();
            limitToOneByte(amqp, "replies.full.#");
            // Taken but never accepted: what reaches the queue stays there and counts against its size.
            List<AmqpMessage> held = new CopyOnWriteArrayList<>();
            AmqpReceiver holder = amqp.connection().createReceiverAndAwait(full,
                    new AmqpReceiverOptions().setAutoAcknowledgement(false).addCapability("queue"));
            holder.handler(held::add);
            double failedBefore = failedReplies();

            sendQuery(amqp, full);
            await().atMost(Duration.ofSeconds(20)).until(() -> held.size() == 1);
            sendQuery(amqp, full);
            await().atMost(Duration.ofSeconds(20)).until(() -> failedReplies() == failedBefore + 1);

            assertThat(amqp.query(new JsonObject().put("type", "ListStations").encode()).getString("status"))
                    .as("the query stream after the rejected reply").isEqualTo("ok");
            assertThat(amqp.request(register(newStationId("AFTERREJECT")).encode()).getString("status"))
                    .as("the command stream after the rejected reply").isEqualTo("accepted");
            assertThat(held).hasSize(1);
            holder.closeAndForget();
        }
    }

    private static void sendQuery(AmqpClient amqp, String replyTo) {
        amqp.publish(BackingServices.queuePrefix() + "weather.queries", AmqpMessage.create()
                .id(UUID.randomUUID().toString()).correlationId(UUID.randomUUID().toString()).replyTo(replyTo)
                .contentType("application/json").withBody(new JsonObject().put("type", "ListStations").encode())
                .build());
    }

    /** Artemis' addAddressSettings, through its management address: a queue that takes one message, then fails. */
    private static void limitToOneByte(AmqpClient amqp, String match) {
        String replyTo = "replies.management." + UUID.randomUUID();
        List<AmqpMessage> answers = new CopyOnWriteArrayList<>();
        AmqpReceiver receiver = amqp.connection().createReceiverAndAwait(replyTo,
                new AmqpReceiverOptions().addCapability("queue"));
        receiver.handler(answers::add);
        String settings = new JsonObject().put("maxSizeBytes", 1).put("pageSizeBytes", 1)
                .put("addressFullMessagePolicy", "FAIL").encode();
        amqp.publish("activemq.management", AmqpMessage.create().id(UUID.randomUUID().toString()).replyTo(replyTo)
                .applicationProperties(new JsonObject().put("_AMQ_ResourceName", "broker")
                        .put("_AMQ_OperationName", "addAddressSettings"))
                .withBody(new JsonArray().add(match).add(settings).encode()).build());
        await().atMost(Duration.ofSeconds(10)).until(() -> !answers.isEmpty());
        assertThat(answers.getFirst().applicationProperties().getValue("_AMQ_OperationSucceeded"))
                .as("addAddressSettings: %s", answers.getFirst().bodyAsString()).isEqualTo(true);
        receiver.closeAndForget();
    }

    private static double failedReplies() {
        String metrics = management().get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("stormwatch_replies_failed_total"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
