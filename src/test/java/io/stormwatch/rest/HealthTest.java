package io.stormwatch.rest;

import static io.restassured.RestAssured.given;
import static io.stormwatch.support.Management.management;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.stormwatch.support.BackingServices;

/** Health, metrics and OpenAPI answer on the management interface only, with the checks Kubernetes probes. */
@QuarkusTest
class HealthTest {

    @Test
    void the_probes_metrics_and_openapi_live_on_the_management_interface() {
        management().get("/q/health/started").then().statusCode(200);
        management().get("/q/health/live").then().statusCode(200)
                .body("checks.name", hasItems("AMQP links alive"));
        // Readiness is about serving traffic: the database and the read model's lag, not the broker.
        management().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", hasItems("projection lag"))
                .body("checks.name", not(hasItems("commands link (" + BackingServices.queuePrefix()
                        + "weather.commands)")))
                .body("checks.find { it.name == 'projection lag' }.data.max", equalTo(100000));
        // The broker links are reported beside it, as wellness: watched, but no reason to take a replica out.
        management().get("/q/health/well").then().statusCode(200)
                .body("checks.name", hasItems(
                        "commands link (" + BackingServices.queuePrefix() + "weather.commands)",
                        "queries link (" + BackingServices.queuePrefix() + "weather.queries)",
                        "publication (" + BackingServices.topicPrefix() + "weather.events)",
                        "publication (" + BackingServices.topicPrefix() + "weather.alerts)"));
        management().get("/q/metrics").then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
        management().get("/q/swagger-ui/").then().statusCode(200);

        given().get("/q/health/ready").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(404);
    }
}
