package io.stormwatch.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.stormwatch.query.EventQueries;
import io.stormwatch.query.EventView;

@Path("/api/events")
@Produces(MediaType.APPLICATION_JSON)
public class EventResource {

    private final EventQueries queries;

    public EventResource(EventQueries queries) {
        this.queries = queries;
    }

    /** The event log after position {@code after}, in position order. */
    @GET
    public Uni<List<EventView>> after(@QueryParam("after") String after, @QueryParam("limit") String limit) {
        return queries.after(Params.number("after", after, 0, 0, Long.MAX_VALUE),
                (int) Params.number("limit", limit, 100, 1, 1000));
    }
}
