package io.stormwatch.command;

import java.util.Optional;
import java.util.Set;

import jakarta.inject.Singleton;

import io.stormwatch.api.Command.AlertCommand;
import io.stormwatch.api.Command.StationCommand;
import io.stormwatch.api.Command;
import io.stormwatch.platform.StormwatchConfig;

/**
 * Who may send which command. An operator may send any; a station may register, and record observations for, only
 * the station it is (its authenticated name is the station id); rules and acknowledgements need an operator.
 * The sender is the identity the broker authenticated and stamped on the message (Artemis' populate-validated-user,
 * {@code _AMQ_VALIDATED_USER}), or the HTTP gateway's authenticated user: never anything the client wrote itself.
 */
@Singleton
public class Permissions {

    /**
     * A sender: its authenticated name (null when the broker stamped none), whether it acts as an operator, and
     * whether it is checked at all (AMQP senders only when identities are enforced; HTTP users always).
     */
    public record Sender(String name, boolean operator, boolean checked) {
    }

    private final boolean enforce;
    private final Set<String> operators;

    public Permissions(StormwatchConfig config) {
        this.enforce = config.identity().enforce();
        this.operators = Set.copyOf(config.identity().operators());
    }

    /** The AMQP sender of that broker-authenticated name (null: none was stamped). */
    public Sender amqpSender(String name) {
        return new Sender(name, name != null && operators.contains(name), enforce);
    }

    /** An HTTP gateway user: an operator by role, else a station by name. */
    public static Sender httpUser(String name, boolean operator) {
        return new Sender(name, operator, true);
    }

    /** Why {@code sender} may not send {@code command}, or empty when it may. */
    public Optional<String> refusal(Sender sender, Command command) {
        if (!sender.checked() || sender.operator()) {
            return Optional.empty();
        }
        if (sender.name() == null) {
            return Optional.of("the sender is not known: the broker stamped no authenticated user on the message"
                    + " (Artemis: populate-validated-user); commands are taken only from authenticated senders");
        }
        return switch (command) {
            case StationCommand station -> station.stationIds().stream()
                    .map(id -> ownStation(sender, id, station.action())).flatMap(Optional::stream).findFirst();
            case AlertCommand alert -> operatorOnly(sender, alert.action());
        };
    }

    private static Optional<String> ownStation(Sender sender, String stationId, String what) {
        return sender.name().equals(stationId) ? Optional.empty() : Optional.of("sender " + sender.name()
                + " may not " + what + " " + stationId + ": a station sends only for itself");
    }

    private static Optional<String> operatorOnly(Sender sender, String what) {
        return Optional.of("sender " + sender.name() + " may not " + what + ": that needs an operator");
    }
}
