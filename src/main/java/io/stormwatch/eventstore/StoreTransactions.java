package io.stormwatch.eventstore;

import java.util.function.Function;

import jakarta.inject.Singleton;

import org.hibernate.reactive.mutiny.Mutiny;

import io.smallrye.mutiny.Uni;
import io.stormwatch.platform.CommandsConfig.AppendPath;
import io.stormwatch.platform.SafeContexts;
import io.stormwatch.platform.StormwatchConfig;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Runs a command batch's work in one transaction, on the append path the configuration chooses
 * ({@code stormwatch.commands.append-path}): the SQL client's connection, or a Hibernate Reactive session.
 */
@Singleton
public class StoreTransactions {

    private final Pool pool;
    private final Mutiny.SessionFactory sessions;
    private final SafeContexts contexts;
    private final AppendPath path;

    public StoreTransactions(Pool pool, Mutiny.SessionFactory sessions, SafeContexts contexts,
            StormwatchConfig config) {
        this.pool = pool;
        this.sessions = sessions;
        this.contexts = contexts;
        this.path = config.commands().appendPath();
    }

    public <T> Uni<T> run(Function<StoreTransaction, Uni<T>> work) {
        return switch (path) {
            case SQL -> pool.withTransaction(tx -> work.apply(new SqlTransaction(tx)));
            case ENTITY -> contexts.run(() -> sessions.withTransaction(session -> work.apply(new SessionTransaction(session))));
        };
    }
}
