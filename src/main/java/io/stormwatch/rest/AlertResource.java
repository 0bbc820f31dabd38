package io.stormwatch.rest;

import java.util.List;

import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.smallrye.mutiny.Uni;
import io.stormwatch.alerting.CapXml;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.domain.AlertRule;
import io.stormwatch.query.AlertDetails;
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

    @GET
    @Path("/alerts/{alertId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<AlertDetails> get(@PathParam("alertId") String alertId) {
        return queries.get(alertId).map(found -> found.orElseThrow(
                () -> new NotFoundException("unknown alert " + alertId)));
    }

    @GET
    @Path("/alerts/{alertId}")
    @Produces(CapXml.MEDIA_TYPE)
    public Uni<String> cap(@PathParam("alertId") String alertId) {
        return queries.latestCap(alertId).map(found -> CapXml.write(found.orElseThrow(
                () -> new NotFoundException("unknown alert " + alertId))));
    }

    @GET
    @Path("/rules")
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<AlertRuleDefined>> rules() {
        return queries.rules();
    }
}
