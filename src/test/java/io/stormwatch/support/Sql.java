package io.stormwatch.support;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;

/** Direct SQL against the service's own database, for tests to check what was stored. */
@ApplicationScoped
public class Sql {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final Pool pool;

    public Sql(Pool pool) {
        this.pool = pool;
    }

    public RowSet<Row> query(String sql, Object... parameters) {
        return pool.preparedQuery(sql).execute(Tuple.from(parameters)).await().atMost(TIMEOUT);
    }

    public Row row(String sql, Object... parameters) {
        return query(sql, parameters).iterator().next();
    }

    public long count(String sql, Object... parameters) {
        return row(sql, parameters).getLong(0);
    }

    /** The first column of the first row, as text. */
    public String value(String sql) {
        return String.valueOf(pool.query(sql).execute().await().atMost(TIMEOUT).iterator().next().getValue(0));
    }

    /** A statement without parameters (DDL, or several parameterless statements). */
    public void run(String sql) {
        pool.query(sql).execute().await().atMost(TIMEOUT);
    }
}
