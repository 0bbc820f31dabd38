package io.stormwatch.platform;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * How far behind the head of the log each event handler and each publication is, in positions and in seconds
 * (the age of the oldest event it has not yet applied or published), sampled from PostgreSQL every 5 s, so that
 * every replica reports the same figures whichever of them does the work.
 */
@Singleton
public class LagGauges {

    private static final String SAMPLE = """
            SELECT kind, name, head - position,
                   COALESCE(EXTRACT(EPOCH FROM now() - (SELECT recorded_at FROM event WHERE event.position = p.position + 1)), 0)
            FROM (SELECT 'projection' AS kind, name, position FROM projection_checkpoint
                  UNION ALL SELECT 'publication', name, position FROM publication) p,
                 (SELECT COALESCE(MAX(position), 0) AS head FROM event) h""";

    private final Pool pool;
    private final MeterRegistry registry;
    private final Map<String, AtomicLong> positions = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> millis = new ConcurrentHashMap<>();

    public LagGauges(Pool pool, MeterRegistry registry) {
        this.pool = pool;
        this.registry = registry;
    }

    @Scheduled(every = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    public Uni<Void> sample() {
        return pool.query(SAMPLE).execute().invoke(rows -> {
            for (Row row : rows) {
                String kind = row.getString(0);
                String name = row.getString(1);
                gauge(positions, kind, name, "positions").set(row.getLong(2));
                gauge(millis, kind, name, "seconds").set(Math.round(row.getDouble(3) * 1000));
            }
        }).onFailure().recoverWithNull().replaceWithVoid();
    }

    private AtomicLong gauge(Map<String, AtomicLong> values, String kind, String name, String unit) {
        return values.computeIfAbsent(kind + "/" + name, key -> {
            AtomicLong value = new AtomicLong();
            boolean seconds = unit.equals("seconds");
            Gauge.builder("stormwatch." + kind + ".lag." + unit, value, v -> seconds ? v.get() / 1000.0 : v.get())
                    .description("How far the " + kind + " is behind the event log, in " + unit)
                    .tag(kind, name).register(registry);
            return value;
        });
    }
}
