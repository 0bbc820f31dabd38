package io.stormwatch.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.stormwatch.api.Observation;
import io.stormwatch.dev.SimulatedStation;
import io.stormwatch.dev.WeatherModel;
import io.vertx.amqp.AmqpClient;
import io.vertx.amqp.AmqpClientOptions;
import io.vertx.amqp.AmqpConnection;
import io.vertx.amqp.AmqpMessage;
import io.vertx.amqp.AmqpReceiverOptions;
import io.vertx.amqp.AmqpSender;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * The benchmark's load generator: a station fleet on one AMQP connection, sending observations to
 * weather.commands as single {@code RecordObservation} commands or as {@code RecordObservations} batches of 100,
 * either as fast as the service answers (a window of unanswered commands) or at a fixed rate. It reuses the
 * simulator's weather model. It measures what a station sees: the reply to each command, and for a sample of them
 * the time until a query shows the write ({@code GET /api/stations/{id}?minPosition=}). At the end it waits for
 * the read model to catch up with the last position and prints one {@code RESULT {...}} JSON line.
 *
 * <pre>
 * java -cp 'target/test-classes:target/quarkus-app/app/*:target/quarkus-app/lib/main/*' io.stormwatch.bench.LoadGenerator \
 *     mode=single stations=100 duration=60 rate=0 amqp=localhost:5672 http=http://localhost:8080
 * </pre>
 *
 * Not a test: {@code bench/run.sh} runs it against a packaged service, beside the baselines.
 */
public final class LoadGenerator {

    private final Map<String, String> args;
    private final String mode;
    /** mode=raw: the raw broker path (the same sender, a plain queue, a consumer of the service's kind). */
    private final boolean raw;
    private final int batchSize;
    private final int durationS;
    private final int warmupS;
    private final int rate;
    private final int window;
    private final long sampleEveryNanos;
    private final String http;
    private final List<SimulatedStation> stations;
    private final WeatherModel model = new WeatherModel(new Random(42));
    private final HttpClient httpClient = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();

    private final Vertx vertx = Vertx.vertx();
    private AmqpConnection connection;
    private AmqpSender sender;
    private String replyAddress;

    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, String> stationOf = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<JsonObject>> waiting = new ConcurrentHashMap<>();
    private final Latencies acks = new Latencies();
    private final Latencies visibility = new Latencies();
    /** The worst acknowledgement of the commands sent in each second of the run, in nanoseconds. */
    private final Map<Long, Long> worstAckBySecond = new ConcurrentHashMap<>();
    /** Commands sent before this instant are the warm-up: answered, and left out of every figure. */
    private volatile long startNanos = Long.MAX_VALUE;
    private volatile long measuredSent;
    private final AtomicLong accepted = new AtomicLong();
    /** Replies to the commands of the warm-up: left out of every figure but the CPU per command of bench/run.sh. */
    private final AtomicLong warmupAnswered = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong maxPosition = new AtomicLong();
    private final AtomicLong visibilityInFlight = new AtomicLong();
    private volatile String lastRejection;
    private volatile boolean running;
    private volatile long sent;
    private long lastSample;
    private int nextStation;

    private LoadGenerator(Map<String, String> args) {
        this.args = args;
        this.mode = args.getOrDefault("mode", "single");
        this.raw = mode.equals("raw");
        this.batchSize = mode.equals("batch") ? Integer.parseInt(args.getOrDefault("batch", "100")) : 1;
        this.durationS = Integer.parseInt(args.getOrDefault("duration", "60"));
        this.warmupS = Integer.parseInt(args.getOrDefault("warmup", "0"));
        this.rate = Integer.parseInt(args.getOrDefault("rate", "0"));
        // Batches: the service's credit (2 x max-batch-size): credit decides how many are in flight.
        this.window = Integer.parseInt(args.getOrDefault("window", mode.equals("batch") ? "400" : "2000"));
        this.sampleEveryNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args.getOrDefault("sample-ms", "20")));
        this.http = args.getOrDefault("http", "http://localhost:8080");
        String prefix = args.getOrDefault("prefix", "L" + UUID.randomUUID().toString().substring(0, 4).toUpperCase() + "-");
        this.stations = SimulatedStation.generated(prefix, Integer.parseInt(args.getOrDefault("stations", "100")));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String arg : argv) {
            int eq = arg.indexOf('=');
            if (eq < 1) {
                throw new IllegalArgumentException("arguments are key=value, not '" + arg + "'");
            }
            args.put(arg.substring(0, eq), arg.substring(eq + 1));
        }
        LoadGenerator generator = new LoadGenerator(args);
        try {
            generator.run();
        } finally {
            generator.vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        connect();
        if (raw) {
            rawConsumer();
        } else {
            register();
        }
        log("%s: %d stations, %s, %d s%s%s", mode, stations.size(),
                rate == 0 ? "as fast as answered (window " + window + ")" : rate + " commands/s", durationS,
                batchSize > 1 ? ", " + batchSize + " observations per command" : "",
                warmupS > 0 ? ", after a warm-up of " + warmupS + " s at the same load, not counted" : "");
        long begin = System.nanoTime();
        long start = begin + TimeUnit.SECONDS.toNanos(warmupS);
        startNanos = start;
        running = true;
        vertx.runOnContext(ignored -> {
            if (rate == 0) {
                pump();
            } else {
                paced(begin);
            }
        });
        Thread.sleep(TimeUnit.SECONDS.toMillis(warmupS));
        long lastReport = start;
        while (System.nanoTime() - start < TimeUnit.SECONDS.toNanos(durationS)) {
            Thread.sleep(200);
            if (System.nanoTime() - lastReport > TimeUnit.SECONDS.toNanos(10)) {
                lastReport = System.nanoTime();
                log("  %3d s: %d commands accepted, %d waiting for a reply", TimeUnit.NANOSECONDS.toSeconds(
                        lastReport - start), accepted.get(), sentAt.size());
            }
        }
        running = false;
        long sending = System.nanoTime() - start;
        await(() -> sentAt.isEmpty(), 120, "replies");
        long answered = System.nanoTime() - start;
        boolean sampled = waitFor(() -> visibilityInFlight.get() == 0, 60);
        long position = maxPosition.get();
        if (!raw) {
            // Done is when the user's work is done: every observation visible in the read model.
            visible(stations.getFirst().stationId(), position, null).get(180, TimeUnit.SECONDS);
        }
        long caughtUp = System.nanoTime() - start;

        long events = accepted.get() * batchSize;
        if (rate > 0) {
            stalls(); // as fast as answered, every reply waits behind the window: only a paced run has stalls
        }
        if (!sampled) {
            log("  %d visibility samples still unanswered after 60 s: left out", visibilityInFlight.get());
        }
        JsonObject result = new JsonObject()
                .put("mode", mode).put("stations", stations.size()).put("rate", rate).put("batch", batchSize)
                .put("durationS", seconds(sending)).put("sent", measuredSent).put("accepted", accepted.get())
                .put("warmupAnswered", warmupAnswered.get())
                .put("rejected", rejected.get()).put("duplicates", duplicates.get())
                .put("commandsPerS", accepted.get() / seconds(answered))
                .put("events", events).put("eventsPerS", events / seconds(answered))
                .put("caughtUpEventsPerS", events / seconds(caughtUp))
                .put("caughtUpS", seconds(caughtUp))
                .put("ackP50Ms", acks.percentile(50)).put("ackP99Ms", acks.percentile(99))
                .put("visibilitySamples", visibility.count()).put("visibilityP50Ms", visibility.percentile(50))
                .put("visibilityP99Ms", visibility.percentile(99)).put("visibilityMaxMs", visibility.percentile(100))
                .put("visibilityUnanswered", visibilityInFlight.get()).put("lastPosition", position);
        if (lastRejection != null) {
            result.put("lastRejection", lastRejection);
        }
        System.out.println("RESULT " + result.encode());
        connection.close();
    }

    /**
     * The raw broker path, for mode=raw: the same commands from the same sender and connection settings go to a
     * plain durable queue ({@code raw-address}, bench.raw), and a consumer of the service's kind drains it (the
     * Vert.x AMQP client on its own connection, the service's credit, each message accepted as it comes). A message
     * counts as answered when it is consumed, so the window and the rate mean what they mean for commands.
     */
    private void rawConsumer() throws Exception {
        AmqpConnection consumer = get(AmqpClient.create(vertx, clientOptions()).connect());
        get(consumer.createReceiver(args.getOrDefault("raw-address", "bench.raw"), new AmqpReceiverOptions()
                .addCapability("queue").setDurable(true).setAutoAcknowledgement(false)
                .setMaxBufferedMessages(Integer.parseInt(args.getOrDefault("credit", "400")))))
                .handler(message -> {
                    message.accepted();
                    answered(String.valueOf(message.id()), "accepted", null, null);
                });
    }

    private AmqpClientOptions clientOptions() {
        String[] hostPort = args.getOrDefault("amqp", "localhost:5672").split(":");
        AmqpClientOptions options = new AmqpClientOptions().setHost(hostPort[0])
                .setPort(Integer.parseInt(hostPort[1]));
        if (args.containsKey("user")) {
            options.setUsername(args.get("user")).setPassword(args.getOrDefault("password", ""));
        }
        return options;
    }

    private void connect() throws Exception {
        AmqpClient client = AmqpClient.create(vertx, clientOptions());
        connection = get(client.connect());
        sender = get(connection.createSender(raw ? args.getOrDefault("raw-address", "bench.raw")
                : args.getOrDefault("address", "weather.commands")));
        replyAddress = args.getOrDefault("queue-prefix", "") + "replies.bench." + UUID.randomUUID();
        get(connection.createReceiver(replyAddress, new AmqpReceiverOptions().addCapability("queue")))
                .handler(this::reply);
    }

    private void register() throws Exception {
        List<CompletableFuture<JsonObject>> replies = new ArrayList<>();
        for (SimulatedStation s : stations) {
            JsonObject command = new JsonObject().put("type", "RegisterStation")
                    .put("commandId", "register-" + s.stationId()).put("stationId", s.stationId())
                    .put("name", s.name()).put("latitude", s.latitude()).put("longitude", s.longitude())
                    .put("elevationM", s.elevationM());
            String id = UUID.randomUUID().toString();
            CompletableFuture<JsonObject> reply = new CompletableFuture<>();
            waiting.put(id, reply);
            replies.add(reply);
            vertx.runOnContext(ignored -> send(id, command.encode()));
        }
        CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
        for (CompletableFuture<JsonObject> reply : replies) {
            String status = reply.get().getString("status");
            if (!status.equals("accepted") && !status.equals("duplicate")) {
                throw new IllegalStateException("registration " + status + ": " + reply.get().encode());
            }
        }
    }

    /** As fast as answered: keeps {@code window} commands unanswered, and the sender's credit decides the rest. */
    private synchronized void pump() {
        while (running && sentAt.size() < window) {
            if (sender.writeQueueFull()) {
                sender.drainHandler(ignored -> pump());
                return;
            }
            sendNext(System.nanoTime());
        }
    }

    /**
     * At a fixed rate: every 10 ms, what is due, as far as the broker's credit allows; the window is only a safety
     * net. Each command counts from the time it was due, not from when it went out, so that one held back for
     * credit counts its wait (no coordinated omission). Sending past the credit would queue the messages in Proton,
     * whose every send then walks that whole queue: once behind, the generator's own event loop stalled for seconds
     * at a time, its replies with it, and a run at half the maximum measured its own collapse (p99 of two minutes).
     */
    private void paced(long start) {
        vertx.setPeriodic(10, timer -> {
            if (!running) {
                vertx.cancelTimer(timer);
                return;
            }
            catchUp(start);
        });
    }

    private synchronized void catchUp(long start) {
        long due = rate * (System.nanoTime() - start) / TimeUnit.SECONDS.toNanos(1);
        while (running && sent < due && sentAt.size() < 50 * window) {
            if (sender.writeQueueFull()) {
                sender.drainHandler(ignored -> catchUp(start));
                return;
            }
            sendNext(start + sent * TimeUnit.SECONDS.toNanos(1) / rate);
        }
    }

    /** Sends the next command, which counts from {@code at} (System.nanoTime()). */
    private synchronized void sendNext(long at) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now().minusMillis(500);
        JsonObject command;
        SimulatedStation first = stations.get(nextStation);
        if (batchSize == 1) {
            command = observation(model.next(first, now)).put("type", "RecordObservation");
            nextStation = (nextStation + 1) % stations.size();
        } else {
            JsonArray observations = new JsonArray();
            for (int i = 0; i < batchSize; i++) {
                observations.add(observation(model.next(stations.get(nextStation), now)));
                nextStation = (nextStation + 1) % stations.size();
            }
            command = new JsonObject().put("type", "RecordObservations").put("observations", observations);
        }
        command.put("commandId", id);
        sentAt.put(id, at);
        stationOf.put(id, first.stationId());
        sent++;
        if (at >= startNanos) {
            measuredSent++;
        }
        send(id, command.encode());
    }

    private void send(String id, String json) {
        sender.send(AmqpMessage.create().id(id).replyTo(replyAddress).durable(true).contentType("application/json")
                .withBufferAsBody(Buffer.buffer(json)).build());
    }

    private static JsonObject observation(Observation o) {
        JsonObject json = new JsonObject().put("stationId", o.stationId()).put("observedAt", o.observedAt().toString())
                .put("temperatureC", o.temperatureC()).put("humidityPct", o.humidityPct())
                .put("windSpeedMs", o.windSpeedMs());
        if (o.windGustMs() != null) {
            json.put("windGustMs", o.windGustMs());
        }
        if (o.pressureHpa() != null) {
            json.put("pressureHpa", o.pressureHpa());
        }
        if (o.precipitationMm() != null) {
            json.put("precipitationMm", o.precipitationMm());
        }
        return json;
    }

    private void reply(AmqpMessage message) {
        String id = String.valueOf(message.correlationId());
        JsonObject reply = new JsonObject(body(message));
        CompletableFuture<JsonObject> waiter = waiting.remove(id);
        if (waiter != null) {
            waiter.complete(reply);
            return;
        }
        answered(id, reply.getString("status"), reply.getLong("position"), reply.getString("error"));
    }

    /** A command answered (or, for mode=raw, a message consumed). */
    private void answered(String id, String status, Long position, String error) {
        Long at = sentAt.remove(id);
        String station = stationOf.remove(id);
        if (at == null || at < startNanos) {
            if (at != null) {
                warmupAnswered.incrementAndGet();
            }
            if (rate == 0 && running) {
                pump();
            }
            return;
        }
        long now = System.nanoTime();
        acks.add(now - at);
        worstAckBySecond.merge(TimeUnit.NANOSECONDS.toSeconds(at - startNanos), now - at, Math::max);
        switch (status) {
            case "accepted" -> accepted.incrementAndGet();
            case "duplicate" -> duplicates.incrementAndGet();
            default -> {
                rejected.incrementAndGet();
                lastRejection = error;
            }
        }
        if (position != null) {
            maxPosition.accumulateAndGet(position, Math::max);
            if (status.equals("accepted") && sample(now)) {
                visibilityInFlight.incrementAndGet();
                visible(station, position, at).whenComplete((ok, e) -> visibilityInFlight.decrementAndGet());
            }
        }
        if (rate == 0 && running) {
            pump();
        }
    }

    private synchronized boolean sample(long now) {
        if (now - lastSample < sampleEveryNanos) {
            return false;
        }
        lastSample = now;
        return true;
    }

    /** The reply's JSON, as an AMQP string value or as a data section. */
    private static String body(AmqpMessage message) {
        try {
            return message.bodyAsString();
        } catch (ClassCastException | IllegalStateException e) {
            return message.bodyAsBinary().toString();
        }
    }

    /** The seconds of the run (by sending time) whose worst acknowledgement took over {@code stall-ms} (100). */
    private void stalls() {
        long threshold = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args.getOrDefault("stall-ms", "100")));
        worstAckBySecond.entrySet().stream().filter(e -> e.getValue() > threshold).sorted(Map.Entry.comparingByKey())
                .forEach(e -> log("  stall: commands sent in second %d waited up to %d ms for their reply",
                        e.getKey(), TimeUnit.NANOSECONDS.toMillis(e.getValue())));
    }

    /** Asks for the station at {@code minPosition} until the answer comes (503 means not yet: asks again). */
    private CompletableFuture<Void> visible(String station, long position, Long sentNanos) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(http + "/api/stations/" + station + "?minPosition="
                + position)).timeout(Duration.ofSeconds(30)).GET().build();
        return httpClient.sendAsync(request, HttpResponse.BodyHandlers.discarding()).thenCompose(response -> {
            if (response.statusCode() == 503) {
                return visible(station, position, sentNanos);
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET station " + station + ": " + response.statusCode());
            }
            if (sentNanos != null) {
                visibility.add(System.nanoTime() - sentNanos);
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    private static void await(java.util.function.BooleanSupplier done, int seconds, String what)
            throws InterruptedException {
        if (!waitFor(done, seconds)) {
            throw new IllegalStateException("gave up waiting for " + what + " after " + seconds + " s");
        }
    }

    private static boolean waitFor(java.util.function.BooleanSupplier done, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static <T> T get(io.vertx.core.Future<T> future) throws Exception {
        return future.toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }

    private static void log(String format, Object... values) {
        System.out.println(String.format(format, values));
    }

    /** Latencies in nanoseconds, reported in milliseconds. */
    private static final class Latencies {
        private long[] values = new long[1024];
        private int size;

        synchronized void add(long nanos) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = nanos;
        }

        synchronized int count() {
            return size;
        }

        synchronized double percentile(int p) {
            if (size == 0) {
                return 0;
            }
            long[] sorted = Arrays.copyOf(values, size);
            Arrays.sort(sorted);
            int index = Math.min(size - 1, (int) Math.ceil(p / 100.0 * size) - 1);
            return Math.round(sorted[Math.max(0, index)] / 10_000.0) / 100.0;
        }
    }
}
