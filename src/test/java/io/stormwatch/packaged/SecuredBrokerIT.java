package io.stormwatch.packaged;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.observation;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.stormwatch.dev.EmbeddedServers;
import io.stormwatch.support.BackingServices;
import io.stormwatch.support.ServiceProcess;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.amqp.AmqpConnection;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpReceiver;
import io.vertx.mutiny.amqp.AmqpSender;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;

/**
 * The packaged service against a broker secured as the production overlay's is (its own broker properties, applied
 * by Artemis, with users in roles): the broker decides who may send and read where and stamps who sent what, and the
 * service believes only that stamp. A station cannot write to the public streams, read the command queue, create a
 * durable address, or pass itself off as an operator by writing the identity property itself.
 */
class SecuredBrokerIT {

    private static final Map<String, String> PASSWORDS = Map.of("service", "service-pw", "ops", "ops-pw",
            "reader", "reader-pw");
    private static Vertx vertx;
    private static Map<String, String> servers;
    private static AutoCloseable broker;
    private static int port;
    private static String station;
    private static String other;

    @BeforeAll
    static void start() throws Exception {
        vertx = Vertx.vertx();
        station = newStationId("SEC");
        other = newStationId("SEC");
        Map<String, String> passwords = new HashMap<>(PASSWORDS);
        passwords.put(station, station + "-pw");
        passwords.put(other, other + "-pw");
        port = ServiceProcess.freePort();
        broker = EmbeddedServers.startSecureBroker(Path.of("target", "secured-broker"), port, productionProperties(),
                passwords, Map.of("service", List.of("service"), "ops", List.of("operators"),
                        "reader", List.of("subscribers"), station, List.of("stations"), other, List.of("stations")));
        servers = new HashMap<>(new BackingServices().start());
        servers.put("amqp-port", Integer.toString(port));
        // Its own Artemis, whichever broker the other tests run on: the bare address names.
        servers.putAll(BackingServices.addresses("", ""));
        servers.put("amqp-username", "service");
        servers.put("amqp-password", "service-pw");
    }

    @AfterAll
    static void stop() throws Exception {
        broker.close();
        vertx.closeAndAwait();
    }

    @Test
    void the_broker_decides_who_may_do_what_and_the_service_believes_only_its_stamp() throws Exception {
        try (ServiceProcess service = ServiceProcess.start(servers, "secured-broker", "-Dstormwatch.identity.enforce=true",
                "-Dstormwatch.identity.operators=ops")) {
            AmqpConnection mine = connect(station);
            Replies replies = new Replies(mine);
            assertThat(replies.request(register(station), null).getString("status")).isEqualTo("accepted");
            assertThat(replies.request(observation(station, Instant.now().minusSeconds(5), 4), null)
                    .getString("status")).isEqualTo("accepted");

            // Forging the identity property: the broker stamps the real sender over it.
            JsonObject rule = new JsonObject().put("type", "DefineAlertRule").put("ruleId", "sec-" + UUID.randomUUID())
                    .put("name", "Heat").put("metric", "temperatureC").put("operator", ">").put("threshold", 30)
                    .put("severity", "Minor").put("stationIds", new JsonArray().add(station));
            JsonObject forged = replies.request(rule, "ops");
            assertThat(forged.getString("status")).isEqualTo("rejected");
            assertThat(forged.getString("error")).isEqualTo("sender " + station
                    + " may not define alert rules: that needs an operator");
            assertThat(replies.request(observation(other, Instant.now().minusSeconds(5), 4), null).getString("error"))
                    .contains("may not record observations for " + other);

            // The broker itself refuses the rest.
            assertThatThrownBy(() -> send(mine, "weather.events", "{\"type\":\"StationRegistered\"}"))
                    .as("a station writing to the public event stream");
            assertThatThrownBy(() -> send(mine, "weather.alerts", "{}")).as("a station writing to the alert stream");
            assertThatThrownBy(() -> mine.createReceiverAndAwait("weather.commands",
                    new AmqpReceiverOptions().addCapability("queue"))).as("a station reading the command queue");
            assertThatThrownBy(() -> mine.createReceiverAndAwait("stations.private." + UUID.randomUUID(),
                    new AmqpReceiverOptions().setDurable(true).addCapability("queue")))
                    .as("a station creating a durable address of its own");

            // An operator defines the rule; a subscriber reads the stream, and may not write to it.
            AmqpConnection ops = connect("ops");
            assertThat(new Replies(ops).request(rule, null).getString("status")).isEqualTo("accepted");
            AmqpConnection reader = connect("reader");
            Map<String, Boolean> seen = new ConcurrentHashMap<>();
            AmqpReceiver events = reader.createReceiverAndAwait("weather.events", new AmqpReceiverOptions());
            events.handler(m -> seen.put(String.valueOf(m.applicationProperties().getValue("cloudEvents:subject")), true));
            assertThat(new Replies(mine).request(observation(station, Instant.now().minusSeconds(3), 5), null)
                    .getString("status")).isEqualTo("accepted");
            await().atMost(Duration.ofSeconds(20)).until(() -> seen.containsKey("station-" + station));
            assertThatThrownBy(() -> send(reader, "weather.events", "{}")).as("a subscriber writing to the stream");
            assertThat(service.alive()).isTrue();
        }
    }

    private static void send(AmqpConnection connection, String address, String body) {
        AmqpSender sender = connection.createSenderAndAwait(address);
        sender.sendWithAckAndAwait(AmqpMessage.create().withBufferAsBody(Buffer.buffer(body))
                .contentType("application/json").durable(true).build());
    }

    private static AmqpConnection connect(String user) {
        return AmqpClient.create(vertx, new AmqpClientOptions().setHost("localhost").setPort(port).setUsername(user)
                .setPassword(PASSWORDS.getOrDefault(user, user + "-pw"))).connectAndAwait();
    }

    /** Commands with a dynamic reply node, as the Python example sends them. */
    private static final class Replies {
        private final AmqpConnection connection;
        private final AmqpSender commands;
        private final String replyTo;
        private final Map<String, JsonObject> received = new ConcurrentHashMap<>();

        Replies(AmqpConnection connection) {
            this.connection = connection;
            this.commands = connection.createSenderAndAwait("weather.commands");
            AmqpReceiver receiver = connection.createDynamicReceiverAndAwait();
            receiver.handler(m -> received.put(String.valueOf(m.correlationId()), new JsonObject(m.bodyAsBinary().toString())));
            this.replyTo = receiver.address();
        }

        JsonObject request(JsonObject command, String forgedIdentity) {
            String id = UUID.randomUUID().toString();
            var message = AmqpMessage.create().id(id).replyTo(replyTo).durable(true).contentType("application/json")
                    .withBufferAsBody(Buffer.buffer(command.encode()));
            if (forgedIdentity != null) {
                message.applicationProperties(new JsonObject().put("_AMQ_VALIDATED_USER", forgedIdentity));
            }
            commands.sendWithAckAndAwait(message.build());
            await().atMost(Duration.ofSeconds(20)).until(() -> received.containsKey(id));
            return received.get(id);
        }
    }

    /** The production overlay's broker properties, as its ActiveMQArtemis resource lists them. */
    private static Properties productionProperties() throws Exception {
        Properties properties = new Properties();
        new ObjectMapper(new YAMLFactory()).readTree(Path.of("k8s", "overlays", "prod", "artemis.yaml").toFile())
                .path("spec").path("brokerProperties").forEach(p -> {
                    String[] keyValue = p.asText().split("=", 2);
                    properties.put(keyValue[0], keyValue[1]);
                });
        return properties;
    }
}
