package io.stormwatch.support;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The packaged jar ({@code target/quarkus-app/quarkus-run.jar}) as a process of its own, pointed at the tests'
 * servers by the standard keys, as a deployment runs it: for tests that kill it (-9), run several, or give it a
 * container's heap.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final Duration START = Duration.ofSeconds(60);

    private final Process process;
    private final String name;
    private final int port;
    private final int managementPort;

    private ServiceProcess(Process process, String name, int port, int managementPort) {
        this.process = process;
        this.name = name;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts the jar with {@code jvmOptions} and waits until it is ready; its output goes to target/NAME.log. */
    public static ServiceProcess start(Map<String, String> servers, String name, String... jvmOptions) {
        return start(servers, name, freePort(), freePort(), jvmOptions);
    }

    /** As above, on given ports (a restarted replica keeps its ports). */
    public static ServiceProcess start(Map<String, String> servers, String name, int port, int managementPort,
            String... jvmOptions) {
        List<String> options = new ArrayList<>();
        // The jar tests run the production profile with no users: the gateway and the admin API closed, on purpose.
        options.add("-Dstormwatch.security.require-users=false");
        // The tests' embedded broker runs without security, so it stamps no authenticated sender to check.
        options.add("-Dstormwatch.identity.enforce=false");
        options.addAll(List.of(jvmOptions));
        List<String> command = command(servers, port, managementPort, options);
        File log = Path.of("target", name + ".log").toFile();
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
            // As a pod's name: the service puts it in its lease owner's name, so a test can tell who holds a lease.
            builder.environment().put("HOSTNAME", name);
            Process process = builder.start();
            ServiceProcess service = new ServiceProcess(process, name, port, managementPort);
            await().atMost(START).pollInterval(Duration.ofMillis(250)).ignoreExceptions()
                    .until(() -> service.ready());
            return service;
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + command, e);
        }
    }

    /** Runs the jar as it is configured, with no overrides, until it exits; its exit code and output. */
    public static Exited run(Map<String, String> servers, String name, Duration atMost) {
        List<String> command = command(servers, freePort(), freePort(), List.of());
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(atMost.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(name + " did not exit within " + atMost);
            }
            return new Exited(process.exitValue(), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** java with {@code options}, the servers' settings and the ports, running the jar. */
    private static List<String> command(Map<String, String> servers, int port, int managementPort,
            List<String> options) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(options);
        servers.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-Dquarkus.http.port=" + port);
        command.add("-Dquarkus.management.port=" + managementPort);
        command.add("-jar");
        command.add(Path.of("target", "quarkus-app", "quarkus-run.jar").toString());
        return command;
    }

    /** How a process ended. */
    public record Exited(int code, String output) {
    }

    public boolean ready() {
        return given().port(managementPort).get("/q/health/ready").statusCode() == 200;
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public int managementPort() {
        return managementPort;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** kill -9: no shutdown hook runs, nothing is handed over. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** A clean stop (SIGTERM). */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
