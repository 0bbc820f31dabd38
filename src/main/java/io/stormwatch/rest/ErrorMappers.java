package io.stormwatch.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.stormwatch.query.QueryException;

/** Every error leaves as {@link ApiError} JSON with a sentence that names the parameter or the thing missing. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response webError(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return json(status, e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : e.getMessage());
    }

    @ServerExceptionMapper
    public Response queryError(QueryException e) {
        return switch (e.kind()) {
            case INVALID -> json(400, e.getMessage());
            case NOT_FOUND -> json(404, e.getMessage());
            // The client asked to read its own write; the read model is behind: try again shortly.
            case NOT_YET -> Response.fromResponse(json(503, e.getMessage())).header(HttpHeaders.RETRY_AFTER, "1")
                    .build();
            case BUSY -> Response.fromResponse(json(429, e.getMessage())).header(HttpHeaders.RETRY_AFTER, "1")
                    .build();
        };
    }

    private static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(message)).build();
    }
}
