package io.stormwatch.platform;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.Level;
import org.jboss.logmanager.Logger;

/**
 * Log lines about a command, an alert or a station, with their ids in the line's MDC, so that a JSON log line
 * ({@code quarkus.log.console.json} in production) can be found by them. The keys go on the record itself rather
 * than in the thread's MDC: the work is reactive, hops threads and runs on shared event-loop contexts, where a
 * thread or context MDC would be lost or leak into other lines.
 */
public final class Logs {

    public static final String COMMAND_ID = "commandId";
    public static final String CORRELATION_ID = "correlationId";
    public static final String STATION_ID = "stationId";
    public static final String ALERT_ID = "alertId";

    private Logs() {
    }

    public static void info(Class<?> category, Supplier<String> message, String... keysAndValues) {
        log(Level.INFO, category, message, keysAndValues);
    }

    public static void warn(Class<?> category, Supplier<String> message, String... keysAndValues) {
        log(Level.WARN, category, message, keysAndValues);
    }

    /** Key/value pairs; a null value leaves its key out. */
    private static void log(java.util.logging.Level level, Class<?> category, Supplier<String> message, String... keysAndValues) {
        Logger logger = Logger.getLogger(category.getName());
        if (!logger.isLoggable(level)) {
            return;
        }
        Map<String, String> mdc = new HashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                mdc.put(keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        ExtLogRecord record = new ExtLogRecord(level, message.get(), ExtLogRecord.FormatStyle.NO_FORMAT,
                Logs.class.getName());
        record.setLoggerName(category.getName());
        record.setMdc(mdc);
        logger.log(record);
    }
}
