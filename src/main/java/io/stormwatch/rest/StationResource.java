package io.stormwatch.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.jboss.resteasy.reactive.RestResponse;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Query.GetObservations;
import io.stormwatch.api.Query.GetStation;
import io.stormwatch.api.Query.ListStations;
import io.stormwatch.query.QueryService;
import io.stormwatch.query.StationDetails;

@Path("/api/stations")
@Produces(MediaType.APPLICATION_JSON)
public class StationResource {

    private final QueryService queries;

    public StationResource(QueryService queries) {
        this.queries = queries;
    }

    @GET
    @Operation(summary = "List stations", description = "A page of stations with their observation counts; "
            + "nextCursor asks for the next page.")
    public Uni<Response> list(@QueryParam("limit") @Parameter(description = "1 to 1000, default 100") String limit,
            @QueryParam("cursor") @Parameter(description = "nextCursor of the page before") String cursor,
            @QueryParam("sort") @Parameter(description = "stationId (default), name, observationCount or "
                    + "latestObservedAt; a leading '-' sorts descending") String sort,
            @QueryParam("minPosition") String minPosition) {
        return Answers.json(queries.answer(new ListStations(Params.integer("limit", limit), cursor, blank(sort),
                Params.minPosition(minPosition))));
    }

    @GET
    @Path("/{stationId}")
    @Operation(summary = "One station", description = "The station with its latest observation.")
    public Uni<RestResponse<StationDetails>> get(@PathParam("stationId") String stationId,
            @QueryParam("minPosition") String minPosition) {
        return Answers.typed(queries.answer(new GetStation(stationId, Params.minPosition(minPosition))),
                StationDetails.class);
    }

    @GET
    @Path("/{stationId}/observations")
    @Operation(summary = "A station's observations", description = "raw: the observations in [from, to); hour "
            + "and day: per bucket and metric, min, max, mean and count. Late observations land in their own bucket.")
    public Uni<Response> observations(@PathParam("stationId") String stationId,
            @QueryParam("from") @Parameter(description = "ISO-8601 instant, inclusive", required = true) String from,
            @QueryParam("to") @Parameter(description = "ISO-8601 instant, exclusive", required = true) String to,
            @QueryParam("resolution") @Parameter(description = "raw (default), hour or day") String resolution,
            @QueryParam("limit") @Parameter(description = "1 to 1000, default 500") String limit,
            @QueryParam("cursor") String cursor, @QueryParam("minPosition") String minPosition) {
        return Answers.json(queries.answer(new GetObservations(stationId, Params.instant("from", from),
                Params.instant("to", to), blank(resolution), Params.integer("limit", limit), cursor,
                Params.minPosition(minPosition))));
    }

    static String blank(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
