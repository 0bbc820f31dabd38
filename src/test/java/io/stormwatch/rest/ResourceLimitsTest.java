package io.stormwatch.rest;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.Sql;

/** What one client can hold of the service at once is bounded, and past the bound it is told so, clearly. */
@QuarkusTest
class ResourceLimitsTest {

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @ConfigProperty(name = "stormwatch.queries.max-streams-per-client")
    int maxStreams;

    @ConfigProperty(name = "stormwatch.queries.max-waiting")
    int maxWaiting;

    @ConfigProperty(name = "stormwatch.security.max-failed-logins")
    int maxFailedLogins;

    @Inject
    Sql sql;

    @Test
    void a_client_past_its_stream_cap_gets_429_until_it_closes_one() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<Stream<String>>>> open = new ArrayList<>();
        try {
            for (int i = 0; i < maxStreams; i++) {
                open.add(http.sendAsync(stream(), HttpResponse.BodyHandlers.ofLines()));
            }
            for (var response : open) {
                assertThat(response.get().statusCode()).isEqualTo(200);
            }
            HttpResponse<String> refused = http.send(stream(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(429);
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(refused.body()).contains("event streams open already", "max-streams-per-client");

            open.removeFirst().get().body().close();
            await().atMost(Duration.ofSeconds(10)).until(() -> {
                var again = http.sendAsync(stream(), HttpResponse.BodyHandlers.ofLines());
                if (again.get().statusCode() == 200) {
                    open.add(again);
                    return true;
                }
                return false;
            });
        } finally {
            for (var response : open) {
                response.thenAccept(r -> r.body().close());
            }
            http.shutdownNow();
        }
    }

    @Test
    void read_your_writes_waits_past_the_cap_are_answered_429_at_once() throws Exception {
        long beyond = sql.count("SELECT coalesce(max(position), 0) FROM event") + 1_000_000;
        HttpClient http = HttpClient.newHttpClient();
        try {
            List<CompletableFuture<HttpResponse<String>>> waits = new ArrayList<>();
            for (int i = 0; i < maxWaiting + 10; i++) {
                waits.add(http.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port
                        + "/api/stations?minPosition=" + beyond)).build(), HttpResponse.BodyHandlers.ofString()));
            }
            Map<Integer, Long> statuses = waits.stream().map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));
            assertThat(statuses).as("429: turned away; 503: waited and timed out")
                    .containsExactlyInAnyOrderEntriesOf(Map.of(429, 10L, 503, (long) maxWaiting));
            assertThat(waits.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 429)
                    .map(HttpResponse::body).map(Function.identity()).findFirst().orElseThrow())
                    .contains("queries are waiting for their minPosition already");
        } finally {
            http.shutdownNow();
        }
    }

    /** Password guessing: past the failed logins allowed, even the right password is refused until the window passes. */
    @Test
    void repeated_failed_logins_are_throttled_then_let_through_again() {
        for (int i = 0; i < maxFailedLogins; i++) {
            given().auth().preemptive().basic("admin", "guess-" + i).get("/api/admin/dead-letters").then().statusCode(401);
        }
        given().auth().preemptive().basic("admin", "admin-password").get("/api/admin/dead-letters").then()
                .statusCode(429).body("error", equalTo("too many failed logins from this address; retry later"));
        // Reads without credentials are never throttled.
        given().get("/api/stations").then().statusCode(200);
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> given().auth()
                .preemptive().basic("admin", "admin-password").get("/api/admin/dead-letters").then().statusCode(200));
    }

    private HttpRequest stream() {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/events/stream?after=0&stream=station-NONE"))
                .header("Accept", "text/event-stream").build();
    }
}
