package io.stormwatch.rest;

import static io.stormwatch.support.Management.management;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The OpenAPI document describes every read endpoint with its answers, its errors and their examples. */
@QuarkusTest
class OpenApiTest {

    private static final String OBSERVATIONS = "paths.'/api/stations/{stationId}/observations'.get";

    @Test
    void every_query_endpoint_documents_its_position_header_errors_and_examples() {
        management().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths", hasKey("/api/stats"))
                .body("paths", hasKey("/api/alerts/{alertId}"))
                .body("paths", hasKey("/api/rules"))
                .body(OBSERVATIONS + ".parameters.name", org.hamcrest.Matchers.hasItems("from", "to", "resolution",
                        "minPosition"))
                .body(OBSERVATIONS + ".responses.'200'.headers", hasKey("Stormwatch-Position"))
                .body(OBSERVATIONS + ".responses.'200'.content.'application/json'.example", notNullValue())
                .body(OBSERVATIONS + ".responses.'400'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/ApiError"))
                .body(OBSERVATIONS + ".responses.'503'.headers", hasKey("Retry-After"))
                .body(OBSERVATIONS + ".responses.'503'.content.'application/json'.example.error",
                        containsString("has not reached minPosition"))
                .body("components.schemas.ApiError.properties", hasKey("error"));
    }

    @Test
    void the_station_endpoint_documents_the_shape_of_its_answer() {
        management().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/api/stations/{stationId}'.get.responses.'200'.content.'application/json'.schema.'$ref'",
                        equalTo("#/components/schemas/StationDetails"))
                .body("paths.'/api/stations/{stationId}'.get.responses.'200'.content.'application/json'.example",
                        notNullValue())
                .body("components.schemas.StationDetails.properties", hasKey("observationCount"))
                .body("components.schemas.StationDetails.properties", hasKey("latest"));
    }
}
