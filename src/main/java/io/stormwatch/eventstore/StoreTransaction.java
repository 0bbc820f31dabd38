package io.stormwatch.eventstore;

import java.time.OffsetDateTime;
import java.util.List;

import io.smallrye.mutiny.Uni;

/**
 * The statements of one database transaction, whichever client runs it: the SQL client's connection
 * ({@link SqlTransaction}) or a Hibernate Reactive session ({@link SessionTransaction}). Statements are written with
 * PostgreSQL's {@code $1} parameters and run in the order they are asked for; array parameters are Java arrays.
 */
public interface StoreTransaction {

    /** The rows of a query, each as its column values (bigint as Long, text as String, uuid as UUID). */
    Uni<List<Object[]>> rows(String sql, Object... parameters);

    /** Runs a statement that returns no rows. */
    Uni<Void> update(String sql, Object... parameters);

    /** Inserts events into the log and gives their recorded time: the transaction's timestamp. */
    Uni<OffsetDateTime> append(List<RecordedEvent> events);
}
