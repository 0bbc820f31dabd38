package io.stormwatch.projection;

import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.RecordedEvent;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A subscriber to the event stream inside the service. Its {@link Subscription} gives it each event of its
 * types once, in position order, inside the transaction that moves its checkpoint; duplicates, reordering and
 * gaps of the broker's deliveries never reach it.
 */
public interface EventHandler {

    /** Its checkpoint's name, and its name in the topology. */
    String name();

    /** The event types it reacts to; no others are passed to {@link #apply}. */
    List<String> eventTypes();

    /**
     * Applies events, in position order, on the transaction that will also move the checkpoint past them: what it
     * writes there commits with the checkpoint or not at all. Statements on {@code tx} must run one at a time. The
     * transaction may hold other handlers' work too, and commits without waiting for the WAL flush unless a handler
     * appends events in it ({@link io.stormwatch.eventstore.EventStore#lockAppends} turns the flush on).
     */
    Uni<Void> apply(SqlConnection tx, List<RecordedEvent> events);

    /**
     * The tables it writes and nothing else reads or writes, when they are a view that can be rebuilt from the
     * event store beside the live ones ({@link ProjectionRebuilds}); empty for a handler whose state decides what
     * happens next (the alert evaluator), which is never rebuilt.
     */
    default List<String> viewTables() {
        return List.of();
    }

    /**
     * Whether it can also apply a stretch of the log inside the database ({@link #applyInDatabase}): a rebuild then
     * sends no events to the service and back, only the positions of each page.
     */
    default boolean appliesInDatabase() {
        return false;
    }

    /**
     * Applies the events of its types at positions {@code (after, upTo]}, read from the event table by the
     * statements themselves, with the same outcome as {@link #apply} on them (the rebuild tests compare the two);
     * only called when {@link #appliesInDatabase()}. Statements on {@code tx} must run one at a time.
     */
    default Uni<Void> applyInDatabase(SqlConnection tx, long after, long upTo) {
        throw new UnsupportedOperationException(name() + " applies events only as they are passed to it");
    }

    /** One statement of a handler's batch. */
    record Statement(String sql, Tuple parameters) {
    }

    /**
     * Runs statements in their order, one round trip per run of the same SQL ({@code executeBatch} executes them
     * one after the other on the server): a page of observations is one trip, not one per event.
     */
    static Uni<Void> inOrder(SqlConnection tx, List<Statement> statements) {
        List<Uni<Void>> runs = new ArrayList<>();
        int start = 0;
        for (int i = 1; i <= statements.size(); i++) {
            if (i == statements.size() || !statements.get(i).sql().equals(statements.get(start).sql())) {
                List<Tuple> rows = statements.subList(start, i).stream().map(Statement::parameters).toList();
                String sql = statements.get(start).sql();
                runs.add(Uni.createFrom().deferred(() -> tx.preparedQuery(sql).executeBatch(rows).replaceWithVoid()));
                start = i;
            }
        }
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (Uni<Void> run : runs) {
            chain = chain.chain(() -> run);
        }
        return chain;
    }

    /**
     * Called after a transaction in which it applied events commits (a handler that appended events announces them);
     * not after one that rolled back, so what it kept of that one is replaced by its next {@link #apply} first.
     */
    default void committed() {
    }
}
