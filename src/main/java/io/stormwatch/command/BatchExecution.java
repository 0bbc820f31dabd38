package io.stormwatch.command;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.stormwatch.api.Command.AlertCommand;
import io.stormwatch.api.Command.StationCommand;
import io.stormwatch.api.CommandReply;
import io.stormwatch.api.Event.AlertCleared;
import io.stormwatch.api.Event.AlertRaised;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.api.Event.AlertRuleRemoved;
import io.stormwatch.api.Event.AlertUpdated;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Event.StationRegistered;
import io.stormwatch.api.Event;
import io.stormwatch.deadletter.DeadLetters.DeadLetter;
import io.stormwatch.domain.AlertRules.Lifecycle;
import io.stormwatch.domain.AlertRules;
import io.stormwatch.domain.Decision;
import io.stormwatch.domain.StationState;
import io.stormwatch.domain.Stations;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.EventMetadata;
import io.stormwatch.eventstore.NewEvent;
import io.stormwatch.platform.Logs;

/**
 * One command batch's decisions, in memory, in order: each command is decided against the state its predecessors
 * in the batch left (versions, station states, the latest rule and alert events), its events numbered from the
 * head the batch found, each outcome and rejection kept for the batch's transaction to write.
 */
final class BatchExecution {

    /** The events that say where a rule or an alert stands (an acknowledgement does not change that). */
    static final List<String> LIFECYCLE_TYPES = Event.names(AlertRuleDefined.class, AlertRuleRemoved.class,
            AlertRaised.class, AlertUpdated.class, AlertCleared.class);

    private final Stations stations;
    private final EventCodec codec;
    private final Clock clock;
    final long from;
    long head;
    final Map<String, Long> versions;
    final Map<String, StationState> states = new HashMap<>();
    final Map<String, String> registrations;
    final Map<String, Event> latest;
    final Map<String, CommandReply> executed;
    final Map<String, CommandReply> outcomes = new HashMap<>();
    final List<NewEvent> events = new ArrayList<>();
    final List<DeadLetter> rejected = new ArrayList<>();

    BatchExecution(Stations stations, EventCodec codec, Clock clock, long head, Map<String, StationStates.Known> known,
            Map<String, Long> versions, Map<String, String> registrations, Map<String, Event> latest,
            Map<String, CommandReply> executed) {
        this.stations = stations;
        this.codec = codec;
        this.clock = clock;
        this.from = head;
        this.head = head;
        this.versions = new HashMap<>(versions);
        known.forEach((stream, k) -> {
            this.versions.put(stream, k.version());
            states.put(stream, k.state());
        });
        this.registrations = registrations;
        this.latest = new HashMap<>(latest);
        this.executed = executed;
    }

    /** What this batch knows of its station streams once its events are appended. */
    Map<String, StationStates.Known> stations(Set<String> streams) {
        Map<String, StationStates.Known> known = new HashMap<>();
        for (String stream : streams) {
            known.put(stream, new StationStates.Known(versions.get(stream), state(stream)));
        }
        return known;
    }

    CommandReply run(IncomingCommand incoming) {
        String key = incoming.key();
        CommandReply first = key == null ? null : executed.getOrDefault(key, outcomes.get(key));
        if (first != null) {
            return CommandReply.duplicate(first);
        }
        CommandReply reply = incoming.decoded() ? decide(incoming) : reject(incoming, incoming.error());
        if (key != null) {
            outcomes.put(key, reply);
        }
        return reply;
    }

    private CommandReply decide(IncomingCommand incoming) {
        // No default here or in the domain's switches: a new command type does not compile until it is decided.
        Decision decision = switch (incoming.command()) {
            case StationCommand station -> stations.decide(stationId -> state(Event.stationStream(stationId)),
                    station, clock.instant());
            case AlertCommand alert -> AlertRules.decide(alert, this::rule, this::lifecycle);
        };
        if (decision instanceof Decision.Rejected rejection) {
            return reject(incoming, rejection.error());
        }
        EventMetadata metadata = new EventMetadata(incoming.key(), incoming.correlationId(),
                incoming.messageId(), incoming.source(), incoming.traceparent());
        for (Event event : ((Decision.Accepted) decision).events()) {
            long version = versions.merge(event.streamId(), 1L, Long::sum);
            events.add(new NewEvent(++head, version, event, metadata));
            if (event instanceof StationRegistered || event instanceof ObservationRecorded) {
                states.put(event.streamId(), state(event.streamId()).evolve(event));
            } else if (LIFECYCLE_TYPES.contains(event.type())) {
                latest.put(event.streamId(), event);
            }
        }
        return CommandReply.accepted(incoming.key(), head);
    }

    private CommandReply reject(IncomingCommand incoming, String error) {
        Logs.info(CommandService.class, () -> "command %s from %s rejected: %s".formatted(incoming.key(),
                incoming.source(), error), Logs.COMMAND_ID, incoming.key(), Logs.CORRELATION_ID, incoming.correlationId(), Logs.STATION_ID,
                incoming.decoded() && incoming.command() instanceof StationCommand station
                        ? String.join(",", station.stationIds()) : null);
        rejected.add(new DeadLetter(incoming.source(), incoming.messageId(), incoming.key(), error,
                incoming.contentType(), incoming.rawBody()));
        return CommandReply.rejected(incoming.key(), error);
    }

    private AlertRuleDefined rule(String ruleId) {
        return latest.get(Event.ruleStream(ruleId)) instanceof AlertRuleDefined defined ? defined : null;
    }

    private Lifecycle lifecycle(String alertId) {
        return switch (latest.get(Event.alertStream(alertId))) {
            case null -> Lifecycle.UNKNOWN;
            case AlertCleared ignored -> Lifecycle.CLEARED;
            default -> Lifecycle.ACTIVE;
        };
    }

    private StationState state(String streamId) {
        return states.computeIfAbsent(streamId, s -> {
            String payload = registrations.get(s);
            return new StationState(s, payload == null ? null : codec.read(payload, StationRegistered.class));
        });
    }
}
