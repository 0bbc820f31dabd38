package io.stormwatch.query;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.quarkus.vertx.ConsumeEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.command.CommandService;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecordedEvent;

/**
 * The event log for outside readers: a page after a position, or a live tail. The tail is one cursor over the
 * store, history first and then new events as they commit, so there is no seam where an event could be missed or
 * sent twice. It waits for a commit in this replica (the local event bus) and otherwise re-reads every second, for
 * events appended by other replicas.
 */
@Singleton
public class EventQueries {

    private static final int TAIL_PAGE = 200;
    private static final Duration IDLE_RECHECK = Duration.ofSeconds(1);

    private final EventLog log;
    private volatile CompletableFuture<Void> nextCommit = new CompletableFuture<>();

    public EventQueries(EventLog log) {
        this.log = log;
    }

    public Uni<List<RecordedEvent>> after(long position, EventFilter filter, int limit) {
        return log.after(position, filter, limit);
    }

    /** Every matching event after {@code position}, then each new one as it is committed; never completes. */
    public Multi<RecordedEvent> follow(long position, EventFilter filter) {
        AtomicLong cursor = new AtomicLong(position);
        return Multi.createBy().repeating().uni(() -> {
            // Taken before the read: a commit during the read wakes the wait below at once.
            CompletableFuture<Void> commit = nextCommit;
            return log.after(cursor.get(), filter, TAIL_PAGE).chain(page -> {
                if (!page.isEmpty()) {
                    cursor.set(page.getLast().position());
                    return Uni.createFrom().item(page);
                }
                // A copy per waiter: a wait that times out cancels what it waits on, and the shared future must stay
                // pending for every other tail (cancelled, it failed every stream's next wait at once).
                return Uni.createFrom().completionStage(commit.copy())
                        .ifNoItem().after(IDLE_RECHECK).recoverWithItem((Void) null)
                        .replaceWith(page);
            });
        }).indefinitely().onItem().disjoint();
    }

    @ConsumeEvent(CommandService.APPENDED)
    void committed(long head) {
        CompletableFuture<Void> waiting = nextCommit;
        nextCommit = new CompletableFuture<>();
        waiting.complete(null);
    }
}
