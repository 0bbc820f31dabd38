package io.stormwatch.infra;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops the one harmless ERROR that vertx-sql-client 4.5 logs per failed pool query during a database outage:
 * {@code SqlConnectionPool.execute} does not cancel its connection-timeout timer when acquiring a connection fails,
 * so the timer later fails the already failed promise ("Result is already complete", reported to Vert.x as
 * uncaught). The caller had its failure at once; the line came 30 s later, once per query, some 140 of them for a
 * 15 s outage. eclipse-vertx/vertx-sql-client #1706 (open in 4.5.34); remove this filter with the version that
 * fixes it.
 */
@LoggingFilter(name = "vertx-sql-client-1706")
public final class PoolTimerLogFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        if (!(thrown instanceof IllegalStateException) || !"Result is already complete".equals(thrown.getMessage())) {
            return true;
        }
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().equals("io.vertx.sqlclient.impl.pool.SqlConnectionPool")) {
                return false;
            }
        }
        return true;
    }
}
