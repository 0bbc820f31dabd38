package io.stormwatch.command;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Command.AlertCommand;
import io.stormwatch.api.Command.StationCommand;
import io.stormwatch.api.CommandReply;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.AlertCleared;
import io.stormwatch.api.Event.AlertRaised;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.api.Event.AlertRuleRemoved;
import io.stormwatch.api.Event.AlertUpdated;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Event.StationRegistered;
import io.stormwatch.command.DeadLetters.DeadLetter;
import io.stormwatch.domain.AlertRules;
import io.stormwatch.domain.AlertRules.Lifecycle;
import io.stormwatch.domain.Decision;
import io.stormwatch.domain.StationState;
import io.stormwatch.domain.Stations;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.EventMetadata;
import io.stormwatch.eventstore.EventStore;
import io.stormwatch.eventstore.NewEvent;
import io.stormwatch.eventstore.RecentEvents;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.infra.Logs;
import io.stormwatch.infra.Metrics;
import io.stormwatch.infra.StormwatchConfig;
import io.vertx.mutiny.core.eventbus.EventBus;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Executes a micro-batch of commands in one transaction: take the append lock, drop what was already executed,
 * decide each command against the state its predecessors left, append all events, log every outcome and keep
 * every rejection as a dead letter. The caller acknowledges the messages only after this Uni succeeds.
 */
@Singleton
public class CommandService {

    private static final Logger LOG = Logger.getLogger(CommandService.class);

    private final Pool pool;
    private final EventStore eventStore;
    private final EventCodec codec;
    private final CommandLog commandLog;
    private final DeadLetters deadLetters;
    private final EventBus eventBus;
    private final RecentEvents recentEvents;
    private final StationStates stationStates;
    private final Metrics metrics;
    private final Stations stations;
    private final Clock clock = Clock.systemUTC();

    public CommandService(Pool pool, EventStore eventStore, EventCodec codec, CommandLog commandLog,
            DeadLetters deadLetters, EventBus eventBus, RecentEvents recentEvents, StationStates stationStates,
            Metrics metrics, StormwatchConfig config) {
        this.pool = pool;
        this.eventStore = eventStore;
        this.codec = codec;
        this.commandLog = commandLog;
        this.deadLetters = deadLetters;
        this.eventBus = eventBus;
        this.recentEvents = recentEvents;
        this.stationStates = stationStates;
        this.metrics = metrics;
        this.stations = new Stations(config.commands().maxClockSkew());
    }

    /** The replies, one per command and in the same order. */
    public Uni<List<CommandReply>> execute(List<IncomingCommand> commands) {
        long started = System.nanoTime();
        return pool.withTransaction(tx -> execute(tx, commands))
                .invoke(batch -> {
                    stationStates.committed(batch.from(), batch.head(), batch.stations());
                    if (!batch.appended().isEmpty()) {
                        recentEvents.committed(batch.appended());
                        eventBus.publish(EventStore.APPENDED, batch.head());
                    }
                    count(commands, batch, Duration.ofNanos(System.nanoTime() - started));
                })
                .map(Batch::replies);
    }

    private void count(List<IncomingCommand> commands, Batch batch, Duration took) {
        metrics.batch(commands.size(), batch.appended().size(), took);
        for (int i = 0; i < commands.size(); i++) {
            IncomingCommand incoming = commands.get(i);
            metrics.command(incoming.decoded() ? incoming.command().type() : "invalid",
                    batch.replies().get(i).status().name());
        }
        // A rejection is kept as a dead letter the first time only; a duplicate of it is answered from the log.
        metrics.deadLetters("commands", batch.deadLetters());
    }

    /** A committed batch: the head it found and the head it left, and what it knew of its stations then. */
    private record Batch(List<CommandReply> replies, long from, long head, List<RecordedEvent> appended,
            int deadLetters, Map<String, StationStates.Known> stations) {
    }

    private Uni<Batch> execute(SqlConnection tx, List<IncomingCommand> commands) {
        Set<String> keys = new LinkedHashSet<>();
        Set<String> stationStreams = new LinkedHashSet<>();
        Set<String> otherStreams = new LinkedHashSet<>();
        for (IncomingCommand incoming : commands) {
            if (incoming.key() != null) {
                keys.add(incoming.key());
            }
            if (incoming.decoded()) {
                switch (incoming.command()) {
                    case StationCommand station -> station.stationIds()
                            .forEach(id -> stationStreams.add(Event.stationStream(id)));
                    case AlertCommand alert -> otherStreams.add(alert.streamId());
                }
            }
        }
        // The lock, the head and the reads go together, pipelined on the transaction's connection: one round trip,
        // each read taking its snapshot once the lock is held (EventStore.lockAppends). The stations the last batch
        // left known are not read; if the head under the lock is not the one it left (someone else appended since),
        // they are read in a second trip.
        StationStates.Expected expected = stationStates.expected(stationStreams);
        Set<String> streams = new LinkedHashSet<>(stationStreams);
        streams.removeAll(expected.known().keySet());
        streams.addAll(otherStreams);
        return Uni.combine().all()
                .unis(eventStore.lockAppends(tx), commandLog.find(tx, keys), eventStore.streamStates(tx, streams),
                        eventStore.latestOfTypes(tx, otherStreams, LIFECYCLE_TYPES))
                .asTuple()
                .chain(read -> {
                    long head = read.getItem1();
                    Map<String, StationStates.Known> known = expected.at(head);
                    Uni<EventStore.StreamStates> states = known.size() == expected.known().size()
                            ? Uni.createFrom().item(read.getItem3())
                            : eventStore.streamStates(tx, expected.known().keySet())
                                    .map(stale -> read.getItem3().with(stale));
                    return states.map(s -> new Execution(head, known, s.versions(), s.registrations(),
                            read.getItem4(), read.getItem2()));
                })
                .chain(execution -> {
                    List<CommandReply> replies = new ArrayList<>(commands.size());
                    for (IncomingCommand incoming : commands) {
                        replies.add(execution.run(incoming));
                    }
                    // Independent statements, pipelined on the transaction's connection: one round trip.
                    return Uni.combine().all().unis(eventStore.append(tx, execution.events),
                                    commandLog.record(tx, execution.outcomes.values()),
                                    deadLetters.record(tx, execution.rejected))
                            .with((appended, logged, deadLettered) -> new Batch(replies, execution.from,
                                    execution.head, appended, execution.rejected.size(),
                                    execution.stations(stationStreams)));
                });
    }

    /** The events that say where a rule or an alert stands (an acknowledgement does not change that). */
    private static final List<String> LIFECYCLE_TYPES = Event.names(AlertRuleDefined.class, AlertRuleRemoved.class,
            AlertRaised.class, AlertUpdated.class, AlertCleared.class);

    /** The in-memory state of one batch while its commands are decided in order. */
    private final class Execution {
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

        Execution(long head, Map<String, StationStates.Known> known, Map<String, Long> versions,
                Map<String, String> registrations, Map<String, Event> latest, Map<String, CommandReply> executed) {
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
}
