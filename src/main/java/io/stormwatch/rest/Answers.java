package io.stormwatch.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.stormwatch.query.Answer;

/**
 * Query answers as HTTP responses: the result as JSON, and the read-model position it was read at as a header. An
 * endpoint whose result always has one type declares it ({@link #typed}): Quarkus REST then picks the JSON writer once,
 * at build time, where for a {@link Response} it looks the writer up and negotiates the media type on every answer.
 */
final class Answers {

    static final String POSITION_HEADER = "Stormwatch-Position";

    private Answers() {
    }

    static Uni<Response> json(Uni<Answer> answer) {
        return typed(answer, Object.class).map(RestResponse::toResponse);
    }

    static <T> Uni<RestResponse<T>> typed(Uni<Answer> answer, Class<T> type) {
        return answer.map(a -> RestResponse.ResponseBuilder.ok(type.cast(a.result()), MediaType.APPLICATION_JSON_TYPE)
                .header(POSITION_HEADER, a.position()).build());
    }
}
