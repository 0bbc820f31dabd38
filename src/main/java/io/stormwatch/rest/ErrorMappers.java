package io.stormwatch.rest;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/** Every error leaves as {@link ApiError} JSON with a sentence that names the parameter or the thing missing. */
public class ErrorMappers {

    @ServerExceptionMapper
    public Response webError(WebApplicationException e) {
        int status = e.getResponse().getStatus();
        return json(status, e.getMessage() == null ? Response.Status.fromStatusCode(status).getReasonPhrase()
                : e.getMessage());
    }

    private static Response json(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(new ApiError(message)).build();
    }
}
