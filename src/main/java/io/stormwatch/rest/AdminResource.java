package io.stormwatch.rest;

import java.util.List;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.ClientErrorException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.CommandReply;
import io.stormwatch.command.DeadLetterReplay.Outcome;
import io.stormwatch.command.DeadLetterReplay;
import io.stormwatch.deadletter.DeadLetters.Stored;
import io.stormwatch.deadletter.DeadLetters;
import io.stormwatch.projection.ProjectionRebuilds.Start;
import io.stormwatch.projection.ProjectionRebuilds.Status;
import io.stormwatch.projection.ProjectionRebuilds;

/** Operator tools, for role admin: dead letters, and rebuilding a projection from the event store. */
@Path("/api/admin")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    /** A page of dead letters, and the {@code after} of the next page (null on the last). */
    public record DeadLetterPage(List<Stored> items, Long nextAfter) {
    }

    /** The outcome of a replay: the command's reply, as over AMQP. */
    public record Replayed(long deadLetterId, CommandReply reply) {
    }

    private final DeadLetters deadLetters;
    private final DeadLetterReplay replay;
    private final ProjectionRebuilds rebuilds;

    public AdminResource(DeadLetters deadLetters, DeadLetterReplay replay, ProjectionRebuilds rebuilds) {
        this.deadLetters = deadLetters;
        this.replay = replay;
        this.rebuilds = rebuilds;
    }

    @GET
    @Path("/dead-letters")
    @Operation(summary = "List dead letters, oldest first, without their bodies")
    public Uni<DeadLetterPage> deadLetters(@QueryParam("after") String after, @QueryParam("source") String source,
            @QueryParam("limit") String limit) {
        int size = (int) Params.number("limit", limit, 100, 1, 1000);
        String bySource = source == null || source.isBlank() ? null : source;
        return deadLetters.list(Params.number("after", after, 0, 0, Long.MAX_VALUE), bySource, size)
                .map(items -> new DeadLetterPage(items, items.size() == size ? items.getLast().id() : null));
    }

    @GET
    @Path("/dead-letters/{id}")
    @Operation(summary = "One dead letter, with the body as received")
    public Uni<Stored> deadLetter(@PathParam("id") String id) {
        long key = Params.number("id", id, 0, 1, Long.MAX_VALUE);
        return deadLetters.find(key).map(found -> found.orElseThrow(() -> missing(key)));
    }

    @POST
    @Path("/dead-letters/{id}/replay")
    @Operation(summary = "Send a dead-lettered command through the command path again",
            description = "The entry is removed once replayed; a new rejection is a new dead letter. 200 with the "
                    + "command's reply; 409 for a dead letter that is not a command.")
    public Uni<Replayed> replay(@PathParam("id") String id) {
        long key = Params.number("id", id, 0, 1, Long.MAX_VALUE);
        return replay.replay(key).map(outcome -> switch (outcome) {
            case Outcome.Replayed r -> new Replayed(r.deadLetterId(), r.reply());
            case Outcome.NotFound ignored -> throw missing(key);
            case Outcome.NotACommand n -> throw new ClientErrorException("dead letter " + key + " came from "
                    + n.source() + ": only commands are replayed (a query is asked again by its client; an event "
                    + "that could not be published stays in the event store)", 409);
        });
    }

    @DELETE
    @Path("/dead-letters/{id}")
    @Operation(summary = "Delete a dead letter")
    public Uni<Response> delete(@PathParam("id") String id) {
        long key = Params.number("id", id, 0, 1, Long.MAX_VALUE);
        return deadLetters.delete(key).map(deleted -> {
            if (!deleted) {
                throw missing(key);
            }
            return Response.noContent().build();
        });
    }

    @POST
    @Path("/projections/{name}/rebuild")
    @Operation(summary = "Rebuild a projection from the event store beside the live tables",
            description = "202 and the rebuild's status; it goes on in the background and switches over when it "
                    + "has caught up. 409 while one is running.")
    public Uni<Response> rebuild(@PathParam("name") String name) {
        return rebuilds.start(name).map(start -> switch (start) {
            case Start.Started s -> Response.accepted(s.statuses().getFirst())
                    .header("Location", "/api/admin/projections/" + name + "/rebuild").build();
            case Start.AlreadyRunning r -> Response.status(409).entity(r.statuses().getFirst()).build();
            case Start.NotRebuildable n -> throw new ClientErrorException(n.reason() + "; rebuildable: "
                    + String.join(", ", rebuilds.rebuildable()), n.exists() ? 409 : 404);
        });
    }

    @POST
    @Path("/projections/rebuild")
    @Operation(summary = "Rebuild every projection that is a view, in one pass over the event store",
            description = "Each page of the log is applied by all of them side by side. 202 and one status per"
                    + " projection, each followed at /api/admin/projections/{name}/rebuild; 409 and the running ones while any"
                    + " of them is being rebuilt (then none is started).")
    public Uni<Response> rebuildAll() {
        return rebuilds.startAll().map(start -> switch (start) {
            case Start.Started s -> Response.accepted(s.statuses()).build();
            case Start.AlreadyRunning r -> Response.status(409).entity(r.statuses()).build();
            case Start.NotRebuildable n -> throw new IllegalStateException(n.reason());
        });
    }

    @GET
    @Path("/projections/{name}/rebuild")
    @Operation(summary = "The state of a projection's last rebuild")
    public Uni<Status> rebuildStatus(@PathParam("name") String name) {
        return rebuilds.status(name).map(status -> status.orElseThrow(
                () -> new NotFoundException("projection " + name + " has not been rebuilt")));
    }

    private static NotFoundException missing(long id) {
        return new NotFoundException("there is no dead letter " + id);
    }
}
