package io.stormwatch.rest;

import java.util.List;

import jakarta.ws.rs.BadRequestException;
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

import io.smallrye.mutiny.Uni;
import io.stormwatch.alerting.CapXml;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.domain.AlertRule;
import io.stormwatch.query.AlertQueries;
import io.stormwatch.query.AlertView;
import io.stormwatch.query.Page;

/** Alerts and alert rules over HTTP; one alert also as CAP 1.2 XML ({@code Accept: application/cap+xml}). */
@Path("/api")
public class AlertResource {

    private static final List<String> STATES = List.of("active", "cleared", "all");

    private final AlertQueries queries;

    public AlertResource(AlertQueries queries) {
        this.queries = queries;
    }

    /** Newest first; {@code cursor} is the {@code nextCursor} of the page before. */
    @GET
    @Path("/alerts")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Page<AlertView>> list(@QueryParam("state") String state, @QueryParam("stationId") String stationId,
            @QueryParam("severity") String severity, @QueryParam("limit") String limit,
            @QueryParam("cursor") String cursor) {
        String wanted = state == null || state.isBlank() ? "all" : state;
        if (!STATES.contains(wanted)) {
            throw new BadRequestException("state must be one of active, cleared, all, not '" + state + "'");
        }
        if (severity != null && !AlertRule.SEVERITIES.contains(severity)) {
            throw new BadRequestException("severity must be one of " + String.join(", ", AlertRule.SEVERITIES)
                    + ", not '" + severity + "'");
        }
        if (cursor != null) {
            try {
                AlertQueries.decodeCursor(cursor);
            } catch (IllegalArgumentException e) {
                throw new BadRequestException(e.getMessage());
            }
        }
        AlertQueries.Filter filter = new AlertQueries.Filter(wanted.equals("all") ? null : wanted,
                Params.streamId("stationId", stationId), severity);
        return queries.list(filter, cursor, (int) Params.number("limit", limit, 50, 1, 1000));
    }

    /**
     * The alert with its history as JSON, or, when the client asks for {@code application/cap+xml}, its latest CAP
     * 1.2 message as XML. JSON is the default: a client that accepts anything gets JSON.
     */
    @GET
    @Path("/alerts/{alertId}")
    @Produces({MediaType.APPLICATION_JSON, CapXml.MEDIA_TYPE})
    public Uni<Response> get(@PathParam("alertId") String alertId, @HeaderParam(HttpHeaders.ACCEPT) String accept) {
        if (accept != null && accept.contains(CapXml.MEDIA_TYPE)) {
            return queries.latestCap(alertId).map(found -> Response.ok(CapXml.write(found.orElseThrow(
                    () -> new NotFoundException("unknown alert " + alertId))), CapXml.MEDIA_TYPE).build());
        }
        return queries.get(alertId).map(found -> Response.ok(found.orElseThrow(
                () -> new NotFoundException("unknown alert " + alertId)), MediaType.APPLICATION_JSON).build());
    }

    @GET
    @Path("/rules")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<AlertRuleDefined>> rules() {
        return queries.rules();
    }
}
