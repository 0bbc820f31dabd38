package io.stormwatch.eventstore;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;

/**
 * A transaction's statements in a Hibernate Reactive session: native queries, and events appended as
 * {@link StoredEvent} entities, persisted with the session's batch size set to their number (Hibernate Reactive's
 * statement batching). A session runs one operation at a time, so statements asked for together are queued and run
 * one after another, each in its own round trip.
 */
public final class SessionTransaction implements StoreTransaction {

    /**
     * PostgreSQL's {@code $1} parameters are Hibernate's ordinal {@code ?1}; a cast written {@code $1::text[]} is
     * {@code cast(?1 as text[])}, which Hibernate's parser reads as one parameter.
     */
    private static final Pattern CAST_PARAMETER = Pattern.compile("\\$(\\d+)::([a-z]+(\\[])?)");
    private static final Pattern PARAMETER = Pattern.compile("\\$(\\d+)");
    /** Each statement translated once: the service's statements are constants. */
    private static final Map<String, String> NATIVE = new ConcurrentHashMap<>();

    private final Mutiny.Session session;
    private Uni<?> last = Uni.createFrom().voidItem();

    public SessionTransaction(Mutiny.Session session) {
        this.session = session;
    }

    @Override
    public Uni<List<Object[]>> rows(String sql, Object... parameters) {
        return inTurn(() -> this.<Object>query(sql, parameters).getResultList()
                .map(rows -> rows.stream().map(row -> row instanceof Object[] columns ? columns : new Object[] {row})
                        .toList()));
    }

    @Override
    public Uni<Void> update(String sql, Object... parameters) {
        return inTurn(() -> query(sql, parameters).executeUpdate().replaceWithVoid());
    }

    @Override
    public Uni<OffsetDateTime> append(List<RecordedEvent> events) {
        return rows("SELECT now()").chain(rows -> {
            OffsetDateTime recordedAt = timestamp(rows.getFirst()[0]);
            Object[] entities = events.stream().map(event -> StoredEvent.of(event, recordedAt)).toArray();
            return inTurn(() -> session.setBatchSize(Math.max(1, entities.length)).persistAll(entities)
                    .chain(session::flush)).replaceWith(recordedAt);
        });
    }

    private <R> Mutiny.Query<R> query(String sql, Object... parameters) {
        Mutiny.Query<R> query = session.createNativeQuery(NATIVE.computeIfAbsent(sql, SessionTransaction::ordinal));
        for (int i = 0; i < parameters.length; i++) {
            query.setParameter(i + 1, parameters[i]);
        }
        return query;
    }

    private static String ordinal(String sql) {
        String casts = CAST_PARAMETER.matcher(sql).replaceAll("cast(\\$$1 as $2)");
        return PARAMETER.matcher(casts).replaceAll("?$1");
    }

    /** Runs a statement once the ones asked for before it are done, whoever subscribes first. */
    private synchronized <T> Uni<T> inTurn(Supplier<Uni<T>> statement) {
        Uni<T> turn = last.onItemOrFailure().transformToUni((item, failure) -> statement.get())
                .memoize().indefinitely();
        last = turn.onFailure().recoverWithNull();
        return turn;
    }

    private static OffsetDateTime timestamp(Object value) {
        return switch (value) {
            case OffsetDateTime time -> time.withOffsetSameInstant(ZoneOffset.UTC);
            case Instant instant -> instant.atOffset(ZoneOffset.UTC);
            case java.sql.Timestamp timestamp -> timestamp.toInstant().atOffset(ZoneOffset.UTC);
            default -> throw new IllegalStateException("now() gave a " + value.getClass().getName());
        };
    }
}
