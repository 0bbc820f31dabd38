package io.stormwatch.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.reactive.datasource.ReactiveDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Keyed reads run on their cached generic plan, and every other statement is planned on each execution: what
 * PostgreSQL itself counts for one connection's prepared statement ({@code pg_prepared_statements}).
 */
@QuarkusTest
class PlanCacheTest {

    private static final int EXECUTIONS = 10;

    @Inject
    @ReactiveDataSource(StationQueries.LOOKUPS)
    Pool lookups;

    @Inject
    Pool pool;

    /** generic_plans and custom_plans of the station read after it ran EXECUTIONS times on one connection. */
    private static long[] plansOfStationRead(Pool on) {
        return on.withConnection(connection -> executeTimes(connection, EXECUTIONS)
                .chain(() -> connection.preparedQuery(
                        "SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE statement = $1")
                        .execute(Tuple.of(StationQueries.GET)))
                .map(rows -> {
                    assertThat(rows.size()).as("the station read is a prepared statement of the connection")
                            .isEqualTo(1);
                    Row row = rows.iterator().next();
                    return new long[] { row.getLong(0), row.getLong(1) };
                }))
                .await().atMost(Duration.ofSeconds(10));
    }

    private static Uni<Void> executeTimes(SqlConnection connection, int times) {
        if (times == 0) {
            return Uni.createFrom().voidItem();
        }
        return connection.preparedQuery(StationQueries.GET).execute(Tuple.of("PLAN-CACHE-" + times))
                .chain(() -> executeTimes(connection, times - 1));
    }

    @Test
    void the_station_read_runs_on_a_generic_plan_on_the_lookups_pool() {
        long[] plans = plansOfStationRead(lookups);
        assertThat(plans[0]).as("executions on the cached generic plan").isGreaterThanOrEqualTo(EXECUTIONS - 5);
        assertThat(plans[1]).as("executions planned for their parameters").isLessThanOrEqualTo(5);
    }

    @Test
    void the_default_pool_plans_every_execution() {
        long[] plans = plansOfStationRead(pool);
        assertThat(plans[0]).as("executions on a cached generic plan").isZero();
        assertThat(plans[1]).as("executions planned for their parameters").isEqualTo(EXECUTIONS);
    }
}
