package io.stormwatch.rest;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
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
    public Uni<List<EventView>> after(
            @QueryParam("after") @DefaultValue("0") @Min(value = 0, message = "must be at least 0") long after,
            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = "must be at least 1")
            @Max(value = 1000, message = "must be at most 1000") int limit) {
        return queries.after(after, limit);
    }
}
