package io.stormwatch.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;

import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.jboss.logging.Logger;

import io.quarkus.dev.appstate.ApplicationStateNotification;

/**
 * Starts the embedded PostgreSQL and Artemis once per JVM. Quarkus dev mode reloads application classes (so
 * static fields here are lost) but keeps the JVM: the ports of running servers are kept in system properties,
 * and the servers themselves by a shutdown hook that stops them when the JVM exits.
 */
public final class EmbeddedServers {

    public record Endpoints(String host, int postgresPort, int amqpPort) {

        public String reactiveUrl() {
            return "postgresql://" + host + ":" + postgresPort + "/postgres";
        }

        public String jdbcUrl() {
            return "jdbc:postgresql://" + host + ":" + postgresPort + "/postgres";
        }
    }

    private static final Logger LOG = Logger.getLogger(EmbeddedServers.class);
    private static final String PG_PORT_KEY = "io.stormwatch.embedded.postgres-port";
    private static final String AMQP_PORT_KEY = "io.stormwatch.embedded.amqp-port";
    private static final String HOST = "localhost";
    /** quarkus.shutdown.timeout (20 s) and a margin. */
    private static final Duration APPLICATION_STOP = Duration.ofSeconds(30);

    private EmbeddedServers() {
    }

    /**
     * @param dataDir where both servers keep their data between runs
     * @param clean delete {@code dataDir} first
     * @param postgresPort first port to try for PostgreSQL (0: any free port)
     * @param amqpPort first port to try for the AMQP acceptor (0: any free port)
     */
    public static synchronized Endpoints start(Path dataDir, boolean clean, int postgresPort, int amqpPort) {
        String runningPg = System.getProperty(PG_PORT_KEY);
        String runningAmqp = System.getProperty(AMQP_PORT_KEY);
        if (runningPg != null && runningAmqp != null) {
            return new Endpoints(HOST, Integer.parseInt(runningPg), Integer.parseInt(runningAmqp));
        }
        EmbeddedPostgres.stopOrphan(dataDir.resolve("postgres"));
        if (clean) {
            deleteRecursively(dataDir);
        }
        long started = System.nanoTime();
        int pgPort = freePortFrom(postgresPort);
        var postgres = EmbeddedPostgres.start(dataDir.resolve("postgres"), pgPort);
        int brokerPort = freePortFrom(amqpPort);
        EmbeddedActiveMQ broker;
        try {
            broker = EmbeddedArtemis.start(dataDir.resolve("artemis"), HOST, brokerPort);
        } catch (Exception e) {
            closeQuietly(postgres);
            throw new IllegalStateException("embedded Artemis did not start on port " + brokerPort, e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            awaitApplicationStop();
            try {
                broker.stop();
            } catch (Exception e) {
                LOG.warn("embedded Artemis did not stop cleanly", e);
            }
            closeQuietly(postgres);
        }, "stormwatch-embedded-shutdown"));
        BrokerControl.register(broker);
        System.setProperty(PG_PORT_KEY, Integer.toString(pgPort));
        System.setProperty(AMQP_PORT_KEY, Integer.toString(brokerPort));
        LOG.infof("Embedded servers up in %d ms (data in %s):%n  PostgreSQL 15  %s (user postgres)%n"
                + "  Artemis AMQP   amqp://%s:%d (addresses weather.commands, weather.queries, weather.events,"
                + " weather.alerts, weather.dead-letters)",
                (System.nanoTime() - started) / 1_000_000, dataDir.toAbsolutePath(), new Endpoints(HOST, pgPort,
                        brokerPort).jdbcUrl(), HOST, brokerPort);
        return new Endpoints(HOST, pgPort, brokerPort);
    }

    /**
     * A second broker, secured as production's is (see EmbeddedArtemis.startSecure), on {@code port}, for tests of
     * who may do what on the broker; close it when done.
     */
    public static AutoCloseable startSecureBroker(Path dataDir, int port, Properties brokerProperties,
            Map<String, String> passwords, Map<String, List<String>> roles) throws Exception {
        deleteRecursively(dataDir);
        EmbeddedActiveMQ broker = EmbeddedArtemis.startSecure(dataDir, HOST, port, brokerProperties, passwords, roles);
        return broker::stop;
    }

    /**
     * JVM shutdown hooks run side by side: stopped before the application, the servers would cut its links and its
     * pool while it still uses them (the simulator's channel logged SRMSG16214 as an ERROR on every dev-mode exit).
     * So the servers wait for the application to stop, for at most its shutdown timeout and a margin. Its state is
     * read through Quarkus' dev-mode SPI, which every class loader shares (in dev mode this class is loaded by the
     * augmentation class loader, whose copy of {@code Application} never sees the running application).
     */
    private static void awaitApplicationStop() {
        if (ApplicationStateNotification.getState() != ApplicationStateNotification.State.STARTED) {
            return;
        }
        Thread waiter = Thread.ofPlatform().daemon().name("stormwatch-embedded-await-stop")
                .start(ApplicationStateNotification::waitForApplicationStop);
        try {
            if (!waiter.join(APPLICATION_STOP)) {
                LOG.warnf("the application did not stop within %s; stopping the embedded servers", APPLICATION_STOP);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static int freePortFrom(int first) {
        if (first == 0) {
            return probe(0);
        }
        for (int port = first; port < first + 100; port++) {
            if (probe(port) > 0) {
                return port;
            }
        }
        throw new IllegalStateException("no free port in " + first + ".." + (first + 99));
    }

    private static int probe(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(HOST))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            return -1;
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.warn("embedded server did not close cleanly", e);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("could not clean " + dir, e);
        }
    }
}
