package io.stormwatch.command;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
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
import io.stormwatch.deadletter.DeadLetters;
import io.stormwatch.domain.Stations;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.EventStore;
import io.stormwatch.eventstore.RecentEvents;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.eventstore.StoreTransaction;
import io.stormwatch.eventstore.StoreTransactions;
import io.stormwatch.platform.Metrics;
import io.stormwatch.platform.StormwatchConfig;
import io.vertx.mutiny.core.eventbus.EventBus;

/**
 * Executes a micro-batch of commands in one transaction: take the append lock, drop what was already executed,
 * decide each command against the state its predecessors left, append all events, log every outcome and keep
 * every rejection as a dead letter. The caller acknowledges the messages only after this Uni succeeds.
 */
@Singleton
public class CommandService {

    private static final Logger LOG = Logger.getLogger(CommandService.class);

    private final StoreTransactions transactions;
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

    public CommandService(StoreTransactions transactions, EventStore eventStore, EventCodec codec,
            CommandLog commandLog, DeadLetters deadLetters, EventBus eventBus, RecentEvents recentEvents,
            StationStates stationStates, Metrics metrics, StormwatchConfig config) {
        this.transactions = transactions;
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
        return transactions.run(tx -> execute(tx, commands))
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

    private Uni<Batch> execute(StoreTransaction tx, List<IncomingCommand> commands) {
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
        // The lock, the head and the reads are asked for together: on the SQL path they are pipelined on the
        // connection, one round trip (a session runs them in turn), each read taking its snapshot once the lock is
        // held (EventStore.lockAppends). The stations the last batch left known are not read; if the head under the
        // lock is not the one it left (someone else appended since), they are read in a second trip.
        StationStates.Expected expected = stationStates.expected(stationStreams);
        Set<String> streams = new LinkedHashSet<>(stationStreams);
        streams.removeAll(expected.known().keySet());
        streams.addAll(otherStreams);
        return Uni.combine().all()
                .unis(eventStore.lockAppends(tx), commandLog.find(tx, keys), eventStore.streamStates(tx, streams),
                        eventStore.latestOfTypes(tx, otherStreams, BatchExecution.LIFECYCLE_TYPES))
                .asTuple()
                .chain(read -> {
                    long head = read.getItem1();
                    Map<String, StationStates.Known> known = expected.at(head);
                    Uni<EventStore.StreamStates> states = known.size() == expected.known().size()
                            ? Uni.createFrom().item(read.getItem3())
                            : eventStore.streamStates(tx, expected.known().keySet())
                                    .map(stale -> read.getItem3().with(stale));
                    return states.map(s -> new BatchExecution(stations, codec, clock, head, known, s.versions(),
                            s.registrations(), read.getItem4(), read.getItem2()));
                })
                .chain(execution -> {
                    List<CommandReply> replies = new ArrayList<>(commands.size());
                    for (IncomingCommand incoming : commands) {
                        replies.add(execution.run(incoming));
                    }
                    // Independent statements, asked for together: one round trip on the SQL path.
                    return Uni.combine().all().unis(eventStore.append(tx, execution.events),
                                    commandLog.record(tx, execution.outcomes.values()),
                                    deadLetters.record(tx, execution.rejected))
                            .with((appended, logged, deadLettered) -> new Batch(replies, execution.from,
                                    execution.head, appended, execution.rejected.size(),
                                    execution.stations(stationStreams)));
                });
    }
}
