package io.stormwatch.rest;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.headers.Header;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;

/**
 * Completes the generated OpenAPI document so that a generated client can trust it: each operation's operationId
 * and exactly the statuses it answers ({@link ApiOperations}), the error shape ({@code {"error": "..."}}) with an
 * example per status, the {@code Stormwatch-Position} header, numeric parameters typed as numbers, examples as
 * objects, and the security schemes really in use (HTTP basic, and OpenID Connect with its URL when configured);
 * public operations say they need none.
 */
public class OpenApiFilter implements OASFilter {

    private static final String ERROR_REF = "#/components/schemas/ApiError";

    /** Parameters that are numbers on the wire, with their bounds (read as text, so that a bad one is a 400). */
    private static final Map<String, long[]> NUMBERS = Map.of("limit", new long[] {1, 1000},
            "after", new long[] {0, Long.MAX_VALUE}, "minPosition", new long[] {0, Long.MAX_VALUE},
            "id", new long[] {1, Long.MAX_VALUE});

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null) {
            openAPI.components(OASFactory.createComponents());
        }
        openAPI.getComponents().addSchema("ApiError", OASFactory.createSchema()
                .addType(Schema.SchemaType.OBJECT)
                .description("Every error: one sentence that names the parameter or the thing missing.")
                .addProperty("error", OASFactory.createSchema().addType(Schema.SchemaType.STRING)));
        List<String> schemes = SecuritySchemes.declare(openAPI, ConfigProvider.getConfig());
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
        Object example = ApiExamples.of(path);
        if (example != null) {
            MediaType json = response.getContent() == null ? null : response.getContent().getMediaType("application/json");
            if (json == null) {
                json = OASFactory.createMediaType();
                response.content(OASFactory.createContent().addMediaType("application/json", json));
            }
            json.example(example);
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
}
