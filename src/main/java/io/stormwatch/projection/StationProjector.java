package io.stormwatch.projection;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import org.jboss.logging.Logger;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Event.StationRegistered;
import io.stormwatch.command.CommandService;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.eventstore.StoredEvent;
import io.stormwatch.infra.SafeContexts;
import io.stormwatch.infra.StormwatchConfig;

/**
 * Builds the station view from the event log, a page per transaction, moving its checkpoint in the same
 * transaction. The checkpoint row is locked for the page, so replicas never apply a page twice; a replay applies
 * the same events in the same order and so gives the same rows.
 */
@ApplicationScoped
public class StationProjector {

    public static final String NAME = "stations";
    private static final Logger LOG = Logger.getLogger(StationProjector.class);

    private final EventCodec codec;
    private final SafeContexts contexts;
    private final int pageSize;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public StationProjector(EventCodec codec, SafeContexts contexts, StormwatchConfig config) {
        this.codec = codec;
        this.contexts = contexts;
        this.pageSize = config.projection().pageSize();
    }

    @ConsumeEvent(CommandService.APPENDED)
    public Uni<Void> onAppended(long head) {
        return catchUp();
    }

    /** Picks up events appended by other replicas, and retries after a database failure. */
    @Scheduled(every = "${stormwatch.projection.poll-interval:" + StormwatchConfig.Projection.DEFAULT_POLL_INTERVAL + "}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> poll() {
        return catchUp();
    }

    /** Applies every event up to the head; a call during a run makes that run go round once more. */
    public Uni<Void> catchUp() {
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return Uni.createFrom().voidItem();
        }
        again.set(false);
        return drain()
                .onFailure().invoke(e -> LOG.warnf("station projection stopped at a failure, retrying on the next"
                        + " poll: %s", e.toString()))
                .onFailure().recoverWithNull()
                .eventually(() -> running.set(false))
                .chain(() -> again.getAndSet(false) ? catchUp() : Uni.createFrom().voidItem());
    }

    private Uni<Void> drain() {
        return contexts.run(this::page).chain(applied -> applied == pageSize ? drain() : Uni.createFrom().voidItem());
    }

    private Uni<Integer> page() {
        return Panache.withTransaction(() -> ProjectionCheckpoint.<ProjectionCheckpoint>findById(NAME,
                LockModeType.PESSIMISTIC_WRITE)
                .chain(checkpoint -> StoredEvent.after(checkpoint.position, pageSize)
                        .chain(events -> applyAll(events).invoke(() -> {
                            if (!events.isEmpty()) {
                                checkpoint.position = events.getLast().position;
                                checkpoint.updatedAt = OffsetDateTime.now();
                            }
                        }).replaceWith(events.size()))));
    }

    private Uni<Void> applyAll(List<StoredEvent> events) {
        // One after the other: a Hibernate Reactive session must never run two operations at once.
        return Multi.createFrom().iterable(events)
                .onItem().transformToUniAndConcatenate(this::apply)
                .collect().last().replaceWithVoid();
    }

    private Uni<Void> apply(StoredEvent stored) {
        Event event = codec.fromJson(stored.type, stored.payload);
        return switch (event) {
            case StationRegistered registered -> StationView.<StationView>findById(registered.stationId())
                    .chain(view -> {
                        if (view == null) {
                            StationView row = new StationView();
                            row.apply(registered, stored.position);
                            return row.persist().replaceWithVoid();
                        }
                        if (stored.position > view.lastPosition) {
                            view.apply(registered, stored.position);
                        }
                        return Uni.createFrom().voidItem();
                    });
            // A row already past this position has it: replaying the log from an earlier checkpoint changes nothing.
            case ObservationRecorded recorded -> StationView.<StationView>findById(recorded.observation().stationId())
                    .invoke(view -> {
                        if (stored.position > view.lastPosition) {
                            view.apply(recorded.observation(), stored.position);
                        }
                    })
                    .replaceWithVoid();
        };
    }
}
