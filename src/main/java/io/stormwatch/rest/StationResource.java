package io.stormwatch.rest;

import java.util.List;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.stormwatch.query.StationDetails;
import io.stormwatch.query.StationQueries;
import io.stormwatch.query.StationSummary;

@Path("/api/stations")
@Produces(MediaType.APPLICATION_JSON)
public class StationResource {

    private final StationQueries queries;

    public StationResource(StationQueries queries) {
        this.queries = queries;
    }

    @GET
    public Uni<List<StationSummary>> list(
            @QueryParam("limit") @DefaultValue("100") @Min(value = 1, message = "must be at least 1")
            @Max(value = 1000, message = "must be at most 1000") int limit) {
        return queries.list(limit);
    }

    @GET
    @Path("/{stationId}")
    public Uni<StationDetails> get(@PathParam("stationId") String stationId) {
        return queries.get(stationId).map(found -> found.orElseThrow(
                () -> new NotFoundException("unknown station " + stationId)));
    }
}
