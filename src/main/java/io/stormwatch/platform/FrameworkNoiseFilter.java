package io.stormwatch.platform;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.logging.Filter;
import java.util.logging.LogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Drops two ERROR lines the frameworks log for events that are normal here, each matched narrowly (its message,
 * its exception, the class that threw it), so that any other error still shows:
 * <ul>
 * <li>vertx-sql-client 4.5: {@code SqlConnectionPool.execute} does not cancel its connection-timeout timer when
 * acquiring a connection fails, so the timer later fails the already failed promise ("Result is already complete",
 * reported to Vert.x as uncaught): one line 30 s after every pool query failed during a database outage, some 140
 * for 15 s. The caller had its failure at once. eclipse-vertx/vertx-sql-client #1706 (open in 4.5.34): drop this
 * rule with the version that fixes it.</li>
 * <li>Quarkus REST 3.33: an SSE client that goes away while an event is being written to it ("Exception in SSE
 * server handling, impossible to send it to client", with the closed stream's exception and its stack). A client
 * leaving is the normal end of a live tail; the stream is cancelled and logged at DEBUG (EventResource).</li>
 * </ul>
 */
@LoggingFilter(name = "stormwatch-framework-noise")
public final class FrameworkNoiseFilter implements Filter {

    @Override
    public boolean isLoggable(LogRecord record) {
        Throwable thrown = record.getThrown();
        return thrown == null || !(poolTimerFailure(thrown) || sseClientGone(record, thrown));
    }

    private static boolean poolTimerFailure(Throwable thrown) {
        return thrown instanceof IllegalStateException && "Result is already complete".equals(thrown.getMessage())
                && thrownBy(thrown, "io.vertx.sqlclient.impl.pool.SqlConnectionPool");
    }

    private static boolean sseClientGone(LogRecord record, Throwable thrown) {
        String message = record.getMessage();
        if (message == null || !message.startsWith("Exception in SSE server handling")) {
            return false;
        }
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (t instanceof ClosedChannelException || t instanceof IOException
                    || t instanceof java.util.concurrent.CancellationException
                    || t instanceof IllegalArgumentException && String.valueOf(t.getMessage())
                            .startsWith("Stream no longer exists")
                    || t.getClass().getName().equals("io.vertx.core.http.StreamResetException")
                    || String.valueOf(t.getMessage()).contains("Connection was closed")) {
                return true;
            }
        }
        return false;
    }

    private static boolean thrownBy(Throwable thrown, String className) {
        for (StackTraceElement frame : thrown.getStackTrace()) {
            if (frame.getClassName().equals(className)) {
                return true;
            }
        }
        return false;
    }
}
