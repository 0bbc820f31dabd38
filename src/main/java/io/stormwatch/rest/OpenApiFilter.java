package io.stormwatch.rest;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Completes the generated OpenAPI document so that a generated client can trust it: each operation's operationId
 * and exactly the statuses it answers ({@link ApiOperations}), the error shape ({@code {"error": "..."}}) with an
 * example per status, the {@code Stormwatch-Position} header, numeric parameters typed as numbers, examples as
 * objects, and the security schemes really in use (HTTP basic, and OpenID Connect with its URL when configured);
 * public operations say they need none.
 */
public class OpenApiFilter implements OASFilter {

    private static final String ERROR_REF = "#/components/schemas/ApiError";
    private static final String BASIC = "basic";
    private static final String OIDC = "oidc";

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
                    {"items":[{"alertId":"5b0c","stationId":"OSLO-1","ruleId":"heat","event":"Heat",\
                    "severity":"Severe","urgency":"Immediate","metric":"temperatureC","operator":">",\
                    "threshold":30.0,"clearThreshold":28.0,"value":31.2,"state":"active"}],"nextCursor":null}""",
            "/api/stats", """
                    {"stations":10,"observations":12840,"events":12910,"activeAlerts":{"Minor":0,"Moderate":1,\
                    "Severe":2,"Extreme":0},"projections":[{"name":"stations","position":12910,"lag":0}]}""",
            "/api/commands", """
                    {"status":"accepted","commandId":"obs-demo-1","position":312}""");

    /** Parameters that are numbers on the wire, with their bounds (read as text, so that a bad one is a 400). */
    private static final Map<String, long[]> NUMBERS = Map.of("limit", new long[] {1, 1000},
            "after", new long[] {0, Long.MAX_VALUE}, "minPosition", new long[] {0, Long.MAX_VALUE},
            "id", new long[] {1, Long.MAX_VALUE});

    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.components(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("ApiError", OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("Every error: one sentence that names the parameter or the thing missing.")
                .addProperty("error", OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        List<String> schemes = securitySchemes(openAPI, ConfigProvider.getConfig());
        if (openAPI.getPaths() == null) {
            return;
        }
        openAPI.getPaths().getPathItems().forEach((path, item) -> item.getOperations().forEach((method, op) -> {
            ApiOperations.Operation known = ApiOperations.get(method.name(), path);
            if (known == null) {
                throw new IllegalStateException(method + " " + path + " is not in ApiOperations: say what it answers");
            }
            complete(path, op, known, schemes);
        }));
    }

    /** HTTP basic always (the embedded realm); OpenID Connect beside it when an auth server is configured. */
    private static List<String> securitySchemes(OpenAPI openAPI, Config config) {
        Map<String, SecurityScheme> schemes = new LinkedHashMap<>();
        schemes.put(BASIC, OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("basic")
                .description("A user of the configured realm (roles operator, station, admin)."));
        Optional<String> server = config.getOptionalValue("quarkus.oidc.auth-server-url", String.class);
        boolean oidc = config.getOptionalValue("quarkus.oidc.enabled", Boolean.class).orElse(true)
                && (server.isPresent() || config.getOptionalValue("quarkus.oidc.public-key", String.class).isPresent());
        if (oidc) {
            schemes.put(OIDC, server.isPresent()
                    ? OASFactory.createSecurityScheme().type(SecurityScheme.Type.OPENIDCONNECT)
                            .openIdConnectUrl(server.get().replaceAll("/$", "") + "/.well-known/openid-configuration")
                            .description("A bearer token of the configured OpenID Connect server; roles from groups.")
                    : OASFactory.createSecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                            .bearerFormat("JWT").description("A bearer JWT signed with the configured key."));
        }
        openAPI.getComponents().setSecuritySchemes(schemes);
        return List.copyOf(schemes.keySet());
    }

    private static void complete(String path, Operation operation, ApiOperations.Operation known,
            List<String> schemes) {
        operation.setOperationId(known.operationId());
        operation.setSecurity(known.secured() ? schemes.stream()
                .map(scheme -> OASFactory.createSecurityRequirement().addScheme(scheme)).toList()
                : List.<SecurityRequirement>of());
        if (operation.getParameters() != null) {
            operation.getParameters().forEach(OpenApiFilter::typed);
        }
        APIResponses generated = operation.getResponses();
        APIResponse success = generated == null ? null : generated.getAPIResponse("200");
        APIResponses responses = OASFactory.createAPIResponses();
        known.statuses().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(entry -> {
            String code = entry.getKey();
            ApiOperations.Status status = entry.getValue();
            APIResponse response = code.startsWith("2") ? success(path, code, status, success)
                    : error(status.description(), status.example());
            if (code.equals("429") || code.equals("503")) {
                response.addHeader("Retry-After", header("Seconds to wait before retrying."));
            }
            responses.addAPIResponse(code, response);
        });
        operation.setResponses(responses);
    }

    private static APIResponse success(String path, String code, ApiOperations.Status status, APIResponse generated) {
        APIResponse response = OASFactory.createAPIResponse().description(status.description());
        if (code.equals("204")) {
            return response;
        }
        if (generated != null && generated.getContent() != null) {
            response.setContent(generated.getContent());
        }
        if (path.startsWith("/api/") && !path.startsWith("/api/admin") && !path.startsWith("/api/events")
                && !path.equals("/api/commands") && !path.equals("/api/topology")) {
            response.addHeader("Stormwatch-Position", header("The read-model position the answer was read at: "
                    + "every projection had applied the event log at least that far."));
        }
        String example = EXAMPLES.get(path);
        if (example != null) {
            MediaType json = response.getContent() == null ? null : response.getContent().getMediaType("application/json");
            if (json == null) {
                json = OASFactory.createMediaType();
                response.content(OASFactory.createContent().addMediaType("application/json", json));
            }
            json.example(object(example));
        }
        return response;
    }

    private static void typed(Parameter parameter) {
        long[] bounds = NUMBERS.get(parameter.getName());
        if (bounds != null) {
            Schema integer = OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int64")
                    .minimum(BigDecimal.valueOf(bounds[0]));
            if (bounds[1] != Long.MAX_VALUE) {
                integer.maximum(BigDecimal.valueOf(bounds[1]));
            }
            parameter.setSchema(integer);
        } else if (parameter.getName().equals("from") || parameter.getName().equals("to")) {
            parameter.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("date-time"));
        }
    }

    private static APIResponse error(String description, String example) {
        MediaType json = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(ERROR_REF));
        if (example != null) {
            json.example(Map.of("error", example));
        }
        Content content = OASFactory.createContent().addMediaType("application/json", json);
        return OASFactory.createAPIResponse().description(description).content(content);
    }

    private static Header header(String description) {
        return OASFactory.createHeader().description(description)
                .schema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }

    private static Object object(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an example of the OpenAPI document is not JSON: " + json, e);
        }
    }
}
