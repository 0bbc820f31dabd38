package io.stormwatch.docs;

import static io.stormwatch.support.Commands.newStationId;
import static io.stormwatch.support.Commands.register;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.BackingServices;
import io.vertx.core.json.JsonObject;

/**
 * The example clients of the README (docs/examples), run with Debian's Python and Qpid Proton against the test
 * service: a command answered, a clear failure within its timeout when nothing answers, and a subscriber that
 * resumes from a position and then follows live.
 */
@QuarkusTest
class ExampleClientsTest {

    private static final String PYTHON = "/usr/bin/python3";

    @TestHTTPResource("/")
    URL http;

    @Test
    void send_command_prints_the_reply() throws Exception {
        Run run = run(List.of("docs/examples/send_command.py", register(newStationId("PYTHON")).encode()), amqpUrl());
        assertThat(run.exit()).as(run.toString()).isZero();
        assertThat(new JsonObject(run.out().getLast()).getString("status")).isEqualTo("accepted");
    }

    @Test
    void send_command_says_why_when_nothing_answers_within_its_timeout() throws Exception {
        // A port that accepts the connection and never speaks AMQP: the client must not wait for ever.
        try (ServerSocket silent = new ServerSocket(0)) {
            long started = System.nanoTime();
            Run run = run(List.of("docs/examples/send_command.py", "--timeout", "3", "{\"type\":\"GetStats\"}"),
                    "amqp://localhost:" + silent.getLocalPort());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isBetween(Duration.ofSeconds(3),
                    Duration.ofSeconds(8));
            assertThat(run.exit()).isEqualTo(1);
            assertThat(String.join("\n", run.err())).contains("no reply from amqp://localhost:"
                    + silent.getLocalPort() + " within 3 s", "STORMWATCH_AMQP_URL");
        }
        Run refused = run(List.of("docs/examples/send_command.py", "{\"type\":\"GetStats\"}"), "amqp://localhost:1");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(String.join("\n", refused.err())).contains("cannot reach the broker at amqp://localhost:1");
    }

    @Test
    void subscribe_resumes_from_a_position_then_follows_live() throws Exception {
        String before = newStationId("SUBBEFORE");
        Run first = run(List.of("docs/examples/send_command.py", register(before).encode()), amqpUrl());
        long position = new JsonObject(first.out().getLast()).getLong("position");

        ProcessBuilder builder = new ProcessBuilder(PYTHON, "docs/examples/subscribe.py", "--after",
                Long.toString(position - 1), "--http", http.toString().replaceAll("/$", ""));
        environment(builder, amqpUrl());
        Process subscriber = builder.redirectErrorStream(true).start();
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader in = subscriber.inputReader(StandardCharsets.UTF_8)) {
                in.lines().forEach(lines::add);
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
        });
        try {
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.startsWith(
                    "StationRegistered station-" + before) && l.endsWith("@" + position)));
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.startsWith("following")));
            String after = newStationId("SUBAFTER");
            run(List.of("docs/examples/send_command.py", register(after).encode()), amqpUrl());
            await().atMost(Duration.ofSeconds(20)).until(() -> lines.stream().anyMatch(l -> l.startsWith(
                    "StationRegistered station-" + after)));
            assertThat(lines.stream().filter(l -> l.startsWith("StationRegistered station-" + before)))
                    .as("printed once: %s", lines).hasSize(1);
        } finally {
            subscriber.destroy();
            subscriber.waitFor(5, TimeUnit.SECONDS);
            reader.join(Duration.ofSeconds(5));
        }
    }

    private record Run(int exit, List<String> out, List<String> err) {
    }

    private static Run run(List<String> arguments, String amqpUrl) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(PYTHON));
        command.addAll(arguments);
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile());
        environment(builder, amqpUrl);
        Process process = builder.start();
        boolean done = process.waitFor(30, TimeUnit.SECONDS);
        if (!done) {
            process.destroyForcibly();
        }
        return new Run(done ? process.exitValue() : -1, lines(process.getInputStream()),
                lines(process.getErrorStream()));
    }

    /**
     * The broker's URL, and its address prefixes: on RabbitMQ 3.x ({@code /queue/}, {@code /topic/}), which has no
     * temporary queues, replies come to a named one.
     */
    private static void environment(ProcessBuilder builder, String amqpUrl) {
        builder.environment().put("STORMWATCH_AMQP_URL", amqpUrl);
        builder.environment().put("STORMWATCH_QUEUE_PREFIX", BackingServices.queuePrefix());
        builder.environment().put("STORMWATCH_TOPIC_PREFIX", BackingServices.topicPrefix());
        if (!BackingServices.queuePrefix().isEmpty()) {
            builder.environment().put("STORMWATCH_REPLY_QUEUE", "replies.examples");
        }
    }

    private static List<String> lines(java.io.InputStream stream) throws IOException {
        return new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8)).lines().toList();
    }

    private static String amqpUrl() {
        return "amqp://localhost:" + BackingServices.current().get("amqp-port");
    }
}
