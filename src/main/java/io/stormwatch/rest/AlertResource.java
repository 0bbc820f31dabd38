package io.stormwatch.rest;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.smallrye.mutiny.Uni;
import io.stormwatch.alerting.CapXml;
import io.stormwatch.api.Query.GetAlert;
import io.stormwatch.api.Query.ListAlertRules;
import io.stormwatch.api.Query.ListAlerts;
import io.stormwatch.query.AlertQueries;
import io.stormwatch.query.QueryService;

/** Alerts and alert rules over HTTP; one alert also as CAP 1.2 XML ({@code Accept: application/cap+xml}). */
@Path("/api")
public class AlertResource {

    private final QueryService queries;
    private final AlertQueries alerts;

    public AlertResource(QueryService queries, AlertQueries alerts) {
        this.queries = queries;
        this.alerts = alerts;
    }

    @GET
    @Path("/alerts")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "List alerts", description = "Newest first; nextCursor asks for the next page.")
    public Uni<Response> list(@QueryParam("state") @Parameter(description = "active, cleared or all (default)")
            String state, @QueryParam("stationId") String stationId,
            @QueryParam("severity") @Parameter(description = "Minor, Moderate, Severe or Extreme") String severity,
            @QueryParam("limit") @Parameter(description = "1 to 1000, default 50") String limit,
            @QueryParam("cursor") String cursor, @QueryParam("minPosition") String minPosition) {
        return Answers.json(queries.answer(new ListAlerts(StationResource.blank(state),
                StationResource.blank(stationId), StationResource.blank(severity), Params.integer("limit", limit),
                cursor, Params.minPosition(minPosition))));
    }

    /**
     * The alert with its history as JSON, or, when the client asks for {@code application/cap+xml}, its latest CAP
     * 1.2 message as XML. JSON is the default: a client that accepts anything gets JSON.
     */
    @GET
    @Path("/alerts/{alertId}")
    @Produces({MediaType.APPLICATION_JSON, CapXml.MEDIA_TYPE})
    @Operation(summary = "One alert", description = "JSON: the alert and its whole history (raised, updates, "
            + "acknowledgements, clear). With Accept: application/cap+xml: its latest CAP 1.2 message.")
    public Uni<Response> get(@PathParam("alertId") String alertId, @HeaderParam(HttpHeaders.ACCEPT) String accept,
            @QueryParam("minPosition") String minPosition) {
        if (accept != null && accept.contains(CapXml.MEDIA_TYPE)) {
            return alerts.latestCap(alertId).map(found -> Response.ok(CapXml.write(found.orElseThrow(
                    () -> new NotFoundException("unknown alert " + alertId))), CapXml.MEDIA_TYPE).build());
        }
        return Answers.json(queries.answer(new GetAlert(alertId, Params.minPosition(minPosition))));
    }

    @GET
    @Path("/rules")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The alert rules in force")
    public Uni<Response> rules(@QueryParam("minPosition") String minPosition) {
        return Answers.json(queries.answer(new ListAlertRules(Params.minPosition(minPosition))));
    }
}
