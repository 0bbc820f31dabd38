package io.stormwatch.rest;

import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.CommandReply;
import io.stormwatch.command.CommandDecoder;
import io.stormwatch.command.CommandService;
import io.stormwatch.command.IncomingCommand;
import io.stormwatch.command.Permissions;
import io.stormwatch.platform.Tracing;

/**
 * The HTTP command gateway: the same JSON as an AMQP command, the same execution and the same reply, for clients
 * that cannot speak AMQP. 202 with the reply when accepted (or a duplicate), 400 with it when rejected.
 */
@Path("/api/commands")
public class CommandResource {

    static final String SOURCE = IncomingCommand.HTTP_SOURCE;

    private final CommandDecoder decoder;
    private final CommandService commands;
    private final Tracing tracing;
    private final Permissions permissions;

    public CommandResource(CommandDecoder decoder, CommandService commands, Tracing tracing,
            Permissions permissions) {
        this.decoder = decoder;
        this.permissions = permissions;
        this.commands = commands;
        this.tracing = tracing;
    }

    @POST
    @RolesAllowed({"operator", "station"})
    // JSON only (415 otherwise): a browser sends text/plain cross-origin without a preflight, with the operator's
    // credentials attached, so accepting it made the gateway a CSRF target.
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Execute one command", description = "The body is a command as sent to weather.commands "
            + "(RegisterStation, RecordObservation, RecordObservations, DefineAlertRule, RemoveAlertRule, "
            + "AcknowledgeAlert). Needs role operator, or role station for commands about the station named as the"
            + " user (a station's own registration and observations).")
    public Uni<Response> execute(String body, @HeaderParam("Idempotency-Key")
            @Parameter(description = "The idempotency key when the body has no commandId") String idempotencyKey,
            @HeaderParam(Tracing.TRACEPARENT) @Parameter(description = "W3C trace context") String traceparent,
            @Context SecurityContext security) {
        String messageId = idempotencyKey == null || idempotencyKey.isBlank() ? UUID.randomUUID().toString()
                : idempotencyKey;
        CommandDecoder.Decoded decoded = decoder.decode(body == null ? "" : body);
        String key = decoded.commandId() != null ? decoded.commandId() : messageId;
        // A user with role station sends for itself only, as a station over AMQP does.
        String refused = decoded.command() == null ? null : permissions.refusal(Permissions.httpUser(
                security.getUserPrincipal().getName(), security.isUserInRole("operator")), decoded.command())
                .orElse(null);
        IncomingCommand incoming = new IncomingCommand(key, refused == null ? decoded.command() : null,
                refused == null ? decoded.error() : refused, messageId, messageId, SOURCE, MediaType.APPLICATION_JSON,
                body, tracing.stepOfRequest("POST /api/commands", traceparent));
        return commands.execute(List.of(incoming)).map(replies -> {
            CommandReply reply = replies.getFirst();
            int status = reply.status() == CommandReply.Status.rejected ? 400 : 202;
            return Response.status(status).type(MediaType.APPLICATION_JSON).entity(reply).build();
        });
    }
}
