package io.stormwatch.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Query.GetStats;
import io.stormwatch.query.QueryService;

@Path("/api/stats")
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    private final QueryService queries;

    public StatsResource(QueryService queries) {
        this.queries = queries;
    }

    @GET
    @Operation(summary = "Counts and lags", description = "Stations, observations, events, active alerts by "
            + "severity, and how many positions each projection is behind the log.")
    public Uni<Response> stats(@QueryParam("minPosition") String minPosition) {
        return Answers.json(queries.answer(new GetStats(Params.minPosition(minPosition))));
    }
}
