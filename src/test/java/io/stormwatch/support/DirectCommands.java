package io.stormwatch.support;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.CommandReply;
import io.stormwatch.command.CommandDecoder;
import io.stormwatch.command.CommandService;
import io.stormwatch.command.IncomingCommand;
import io.vertx.core.json.JsonObject;

/** Executes commands in-process, past the broker: for tests that append while the broker is away or in parallel. */
@ApplicationScoped
public class DirectCommands {

    private final CommandService service;
    private final CommandDecoder decoder;

    public DirectCommands(CommandService service, CommandDecoder decoder) {
        this.service = service;
        this.decoder = decoder;
    }

    /** One transaction for the whole list, as one micro-batch from the broker would be. */
    public Uni<List<CommandReply>> execute(List<JsonObject> commands) {
        return service.execute(commands.stream().map(this::incoming).toList());
    }

    private IncomingCommand incoming(JsonObject command) {
        String json = command.encode();
        CommandDecoder.Decoded decoded = decoder.decode(json);
        return new IncomingCommand(decoded.commandId(), decoded.command(), decoded.error(),
                UUID.randomUUID().toString(), null, "test", "application/json", json, null);
    }
}
