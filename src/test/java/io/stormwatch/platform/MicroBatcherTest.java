package io.stormwatch.platform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** How the command stream is cut into batches: by size, by time, and never into a queue of small ones. */
class MicroBatcherTest {

    private static final Duration WAIT = Duration.ofMillis(20);
    /** For the checks that something has not gone yet: long enough that a slow machine does not get there first. */
    private static final Duration LONG_WAIT = Duration.ofSeconds(1);

    private final AtomicLong credit = new AtomicLong();
    private final List<List<Integer>> batches = new CopyOnWriteArrayList<>();
    private MicroBatcher<Integer> batcher;

    @BeforeEach
    void subscribe() {
        subscribe(WAIT);
    }

    private void subscribe(Duration wait) {
        batches.clear();
        credit.set(0);
        batcher = new MicroBatcher<>(3, Integer.MAX_VALUE, item -> 1, wait, 6);
        batcher.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
                credit.addAndGet(n);
            }

            @Override
            public void cancel() {
            }
        });
        batcher.batches().subscribe().with(batches::add);
    }

    /** Holds for four times the batch wait: nothing more has gone meanwhile. */
    private void stillOnly(int count) {
        await().during(WAIT.multipliedBy(4)).atMost(Duration.ofSeconds(5)).until(() -> batches.size() == count);
    }

    @Test
    void a_partial_batch_goes_after_the_wait_when_nothing_is_in_work() {
        subscribe(LONG_WAIT);
        assertThat(credit).hasValue(6);
        batcher.onItem(1);
        assertThat(batches).isEmpty();
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 1);
        assertThat(batches).containsExactly(List.of(1));
    }

    @Test
    void a_full_batch_goes_at_once_even_while_another_is_in_work() {
        batcher.onItem(1);
        batcher.onItem(2);
        batcher.onItem(3);
        batcher.onItem(4);
        batcher.onItem(5);
        batcher.onItem(6);
        assertThat(batches).containsExactly(List.of(1, 2, 3), List.of(4, 5, 6));
    }

    @Test
    void what_comes_while_a_batch_is_in_work_waits_for_it_and_goes_as_one_batch() {
        batcher.onItem(1);
        await().atMost(Duration.ofSeconds(2)).until(() -> batches.size() == 1);

        batcher.onItem(2);
        stillOnly(1);
        batcher.onItem(3);
        stillOnly(1);

        batcher.done(1);
        assertThat(batches).containsExactly(List.of(1), List.of(2, 3));
        assertThat(credit).as("the first batch's credit is back").hasValue(7);
    }

    @Test
    void a_partial_batch_not_yet_due_still_waits_for_its_own_time_after_the_one_in_work() {
        subscribe(LONG_WAIT);
        batcher.onItem(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 1);
        batcher.onItem(2);
        batcher.done(1);
        assertThat(batches).as("not due yet").hasSize(1);
        await().atMost(Duration.ofSeconds(5)).until(() -> batches.size() == 2);
        assertThat(batches.get(1)).containsExactly(2);
    }

    @Test
    void a_batch_whose_items_reach_the_weight_goes_at_once() {
        MicroBatcher<Integer> weighed = new MicroBatcher<>(3, 100, item -> item, LONG_WAIT, 6);
        List<List<Integer>> out = new CopyOnWriteArrayList<>();
        weighed.onSubscribe(new Flow.Subscription() {
            @Override
            public void request(long n) {
            }

            @Override
            public void cancel() {
            }
        });
        weighed.batches().subscribe().with(out::add);
        weighed.onItem(60);
        assertThat(out).isEmpty();
        weighed.onItem(40);
        weighed.onItem(150);
        assertThat(out).containsExactly(List.of(60, 40), List.of(150));
    }

    @Test
    void the_end_of_the_stream_sends_what_is_left_even_while_a_batch_is_in_work() {
        batcher.onItem(1);
        batcher.onItem(2);
        batcher.onItem(3);
        batcher.onItem(4);
        batcher.onCompletion();
        assertThat(batches).containsExactly(List.of(1, 2, 3), List.of(4));
    }
}
