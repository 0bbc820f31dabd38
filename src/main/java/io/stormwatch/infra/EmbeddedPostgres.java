package io.stormwatch.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL 15 server from zonky's Maven Central binaries, with its data kept under {@code dataDir}
 * between runs (initdb runs only when the directory has no cluster yet).
 */
final class EmbeddedPostgres {

    private EmbeddedPostgres() {
    }

    static io.zonky.test.db.postgres.embedded.EmbeddedPostgres start(Path dataDir, int port) {
        try {
            Files.createDirectories(dataDir);
            return io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                    .setDataDirectory(dataDir.toFile())
                    .setCleanDataDirectory(false)
                    .setPort(port)
                    .setServerConfig("max_connections", "200")
                    // Commits stay durable (synchronous_commit on): the event store is the source of truth.
                    .setServerConfig("synchronous_commit", "on")
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("embedded PostgreSQL did not start in " + dataDir, e);
        }
    }
}
