package io.stormwatch.rest;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.smallrye.mutiny.Uni;
import io.stormwatch.query.Answer;

/** Query answers as HTTP responses: the result as JSON, and the read-model position it was read at as a header. */
final class Answers {

    static final String POSITION_HEADER = "Stormwatch-Position";

    private Answers() {
    }

    static Uni<Response> json(Uni<Answer> answer) {
        return answer.map(a -> Response.ok(a.result(), MediaType.APPLICATION_JSON_TYPE)
                .header(POSITION_HEADER, a.position()).build());
    }
}
