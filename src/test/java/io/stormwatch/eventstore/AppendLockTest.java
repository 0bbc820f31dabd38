package io.stormwatch.eventstore;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * A transaction that takes the append lock waits for the WAL flush when it commits, even one that turned the flush
 * off before (an event handler's run, in which the alert evaluator appends).
 */
@QuarkusTest
class AppendLockTest {

    @Inject
    Pool pool;

    @Inject
    EventStore eventStore;

    @Test
    void the_append_lock_turns_the_flush_back_on_for_its_transaction() {
        String[] settings = new String[2];
        pool.withTransaction(tx -> tx.query("SELECT set_config('synchronous_commit', 'off', true)").execute()
                        .chain(() -> tx.query("SHOW synchronous_commit").execute())
                        .invoke(rows -> settings[0] = rows.iterator().next().getString(0))
                        .chain(() -> eventStore.lockAppends(new SqlTransaction(tx)))
                        .chain(() -> tx.query("SHOW synchronous_commit").execute())
                        .invoke(rows -> settings[1] = rows.iterator().next().getString(0)))
                .await().atMost(Duration.ofSeconds(10));
        assertThat(settings).containsExactly("off", "on");
    }
}
