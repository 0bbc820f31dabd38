package io.stormwatch.packaged;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.stormwatch.support.ServiceProcess;

/**
 * The quick start's servers stop after the application, not beside it: the jar with its embedded PostgreSQL and
 * Artemis and the station simulator, stopped as Ctrl+C or a pod's TERM stops it, logs no ERROR on the way out. When
 * the servers' shutdown hook ran beside Quarkus', the broker went first and the simulator's channel logged
 * SRMSG16214 and Mutiny's "Error Occurred After Shutdown" as ERRORs on every exit.
 */
class EmbeddedShutdownIT {

    @Test
    void a_clean_stop_logs_no_error() throws InterruptedException, IOException {
        String name = "embedded-shutdown";
        Path log = Path.of("target", name + ".log");
        Files.deleteIfExists(log);
        ServiceProcess service = ServiceProcess.start(Map.of(), name,
                "-Dstormwatch.embedded.enabled=true", "-Dstormwatch.simulator.enabled=true",
                "-Dstormwatch.embedded.data-dir=target/" + name + "-data", "-Dstormwatch.embedded.clean=true",
                "-Dstormwatch.embedded.postgres-port=0", "-Dstormwatch.embedded.amqp-port=0");
        // The simulator's stations report through the broker: every link is busy when the stop comes.
        await().atMost(Duration.ofSeconds(30)).until(() -> given().port(service.port()).get("/api/stats")
                .jsonPath().getLong("observations") > 0);
        service.close();

        List<String> lines = Files.readAllLines(log);
        assertThat(lines).as("the service stopped").anyMatch(line -> line.contains("stopped in"));
        assertThat(lines).as("ERRORs on the way out").noneMatch(line -> line.contains("\"level\":\"ERROR\""));
    }
}
