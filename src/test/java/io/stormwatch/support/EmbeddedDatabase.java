package io.stormwatch.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

/**
 * Stops and starts the tests' embedded PostgreSQL for fault tests: a real server process, stopped with a fast
 * shutdown (every connection dropped, as a restart of the server or its host would) and started again with the same
 * binary, arguments and data.
 */
public final class EmbeddedDatabase {

    private static final Path DATA = Path.of("target", "test-data", "postgres").toAbsolutePath();
    private static ProcessHandle stopped;
    private static List<String> command;

    private EmbeddedDatabase() {
    }

    public static synchronized void stop() {
        ProcessHandle postmaster = postmaster();
        command = new ArrayList<>();
        if (new com.sun.security.auth.module.UnixSystem().getUid() == 0) {
            // As zonky does: PostgreSQL refuses to run as root, and a user namespace makes root someone else.
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(postmaster.info().command().orElseThrow());
        command.addAll(List.of(postmaster.info().arguments().orElseThrow()));
        // SIGINT is PostgreSQL's fast shutdown (pg_ctl stop -m fast, which refuses to run as root where the tests may).
        run(List.of("kill", "-INT", Long.toString(postmaster.pid())));
        // Gone when its pid file is (ProcessHandle.onExit polls a process that is not our child only every few s).
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> !Files.exists(DATA.resolve("postmaster.pid")) && !postmaster.isAlive());
        stopped = postmaster;
    }

    public static synchronized void start() {
        if (stopped == null) {
            throw new IllegalStateException("the database was not stopped by this class");
        }
        try {
            new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(DATA.resolveSibling("postgres-restarts.log").toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("PostgreSQL did not start again", e);
        }
        stopped = null;
        Map<String, String> config = BackingServices.current();
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
            try (var connection = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                    config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"))) {
                return connection.isValid(1);
            }
        });
    }

    private static ProcessHandle postmaster() {
        try {
            String pid = Files.readAllLines(DATA.resolve("postmaster.pid")).getFirst().strip();
            return ProcessHandle.of(Long.parseLong(pid)).orElseThrow(
                    () -> new IllegalStateException("no PostgreSQL process " + pid + " for " + DATA));
        } catch (IOException e) {
            throw new UncheckedIOException("no running PostgreSQL in " + DATA, e);
        }
    }

    private static void run(List<String> args) {
        try {
            Process process = new ProcessBuilder(args).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IllegalStateException(String.join(" ", args) + " failed: " + output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
