package io.stormwatch.rest;

import java.util.List;

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
    public Uni<List<StationSummary>> list(@QueryParam("limit") String limit) {
        return queries.list((int) Params.number("limit", limit, 100, 1, 1000));
    }

    @GET
    @Path("/{stationId}")
    public Uni<StationDetails> get(@PathParam("stationId") String stationId) {
        return queries.get(stationId).map(found -> found.orElseThrow(
                () -> new NotFoundException("unknown station " + stationId)));
    }
}
