package io.stormwatch.rest;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;

/**
 * Completes the generated OpenAPI document with what every query endpoint shares, so the resources stay thin: the
 * error shape ({@code {"error": "..."}}) with an example per status, the {@code Stormwatch-Position} header, the
 * 503 with {@code Retry-After} of read-your-writes, and an example answer for the main endpoints.
 */
public class OpenApiFilter implements OASFilter {

    private static final String ERROR_REF = "#/components/schemas/ApiError";

    /** Example bodies of the successful answers, by path. */
    private static final Map<String, String> EXAMPLES = Map.of(
            "/api/stations/{stationId}", """
                    {"stationId":"OSLO-1","name":"Oslo Blindern","latitude":59.9423,"longitude":10.72,\
                    "elevationM":94.0,"observationCount":1284,"latest":{"observedAt":"2026-11-26T15:00:00Z",\
                    "temperatureC":3.2,"humidityPct":78.0,"windSpeedMs":4.5,"windGustMs":7.1,"pressureHpa":1008.2,\
                    "precipitationMm":0.0}}""",
            "/api/stations", """
                    {"items":[{"stationId":"OSLO-1","name":"Oslo Blindern","latitude":59.9423,"longitude":10.72,\
                    "elevationM":94.0,"observationCount":1284,"latestObservedAt":"2026-11-26T15:00:00Z"}],\
                    "nextCursor":"c3xzdGF0aW9uSWR8MTAw"}""",
            "/api/stations/{stationId}/observations", """
                    {"items":[{"start":"2026-11-26T14:00:00Z","end":"2026-11-26T15:00:00Z","metrics":\
                    {"temperatureC":{"min":2.9,"max":3.6,"mean":3.21,"count":12}}}],"nextCursor":null}""",
            "/api/alerts", """
                    {"items":[{"alertId":"5b0c…","stationId":"OSLO-1","ruleId":"heat","event":"Heat",\
                    "severity":"Severe","urgency":"Immediate","metric":"temperatureC","operator":">",\
                    "threshold":30.0,"clearThreshold":28.0,"value":31.2,"state":"active"}],"nextCursor":null}""",
            "/api/stats", """
                    {"stations":10,"observations":12840,"events":12910,"activeAlerts":{"Minor":0,"Moderate":1,\
                    "Severe":2,"Extreme":0},"projections":[{"name":"stations","position":12910,"lag":0}]}""");

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.components(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("ApiError", OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("Every error: one sentence that names the parameter or the thing missing.")
                .addProperty("error", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .addExample("limit must be an integer from 1 to 1000, not 0")));
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> {
            if (path.startsWith("/api/") && !path.startsWith("/api/events")) {
                operations(item).forEach(operation -> complete(path, operation));
            }
        });
    }

    private static List<Operation> operations(PathItem item) {
        return item.getOperations().values().stream().toList();
    }

    private static void complete(String path, Operation operation) {
        APIResponse ok = operation.getResponses().getAPIResponse("200");
        if (ok == null) {
            ok = OASFactory.createAPIResponse().description("OK");
            operation.getResponses().addAPIResponse("200", ok);
        }
        ok.addHeader("Stormwatch-Position", header("The read-model position the answer was read at: every "
                + "projection had applied the event log at least that far."));
        String example = EXAMPLES.get(path);
        if (example != null) {
            // Beside the schema generated for an endpoint that declares its result's type, if there is one.
            MediaType json = ok.getContent() == null ? null : ok.getContent().getMediaType("application/json");
            if (json == null) {
                json = OASFactory.createMediaType();
                ok.content(OASFactory.createContent().addMediaType("application/json", json));
            }
            json.example(example);
        }
        operation.getResponses()
                .addAPIResponse("400", error("A parameter is not valid; the error names it.",
                        "sort must be one of stationId, name, observationCount, latestObservedAt (with '-' for"
                                + " descending), not 'password'"))
                .addAPIResponse("404", error("The station or alert does not exist.", "unknown station OSLO-9"))
                .addAPIResponse("503", error("minPosition was not reached within stormwatch.queries.max-wait (5 s):"
                        + " retry after the Retry-After seconds.", "the read model is at position 1200 and has not"
                        + " reached minPosition 1250 within 5000 ms; retry later")
                        .addHeader("Retry-After", header("Seconds to wait before retrying.")));
    }

    private static APIResponse error(String description, String example) {
        MediaType json = OASFactory.createMediaType()
                .schema(OASFactory.createSchema().ref(ERROR_REF))
                .example(Map.of("error", example));
        Content content = OASFactory.createContent().addMediaType("application/json", json);
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    private static Header header(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }
}
