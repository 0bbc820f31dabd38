package io.stormwatch.support;

import static io.restassured.RestAssured.given;

import org.eclipse.microprofile.config.ConfigProvider;

import io.restassured.specification.RequestSpecification;

/** Requests to the management interface (health, metrics, OpenAPI), which listens apart from the API. */
public final class Management {

    private Management() {
    }

    /** Port 9001 in tests (Quarkus' default management test port) unless configured otherwise. */
    public static int port() {
        return ConfigProvider.getConfig().getOptionalValue("quarkus.management.test-port", Integer.class)
                .orElse(9001);
    }

    public static RequestSpecification management() {
        return given().port(port());
    }
}
