package io.stormwatch.platform;

import java.time.Duration;

import jakarta.inject.Singleton;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The service's own meters, at /q/metrics with the JVM's and HTTP's. Each is counted after the transaction that
 * holds what it counts has committed, so a retried batch is not counted twice.
 */
@Singleton
public class Metrics {

    private final MeterRegistry registry;
    private final DistributionSummary batchSize;
    private final Timer appendLatency;

    public Metrics(MeterRegistry registry) {
        this.registry = registry;
        this.batchSize = DistributionSummary.builder("stormwatch.command.batch.size")
                .description("Commands executed in one transaction").publishPercentileHistogram()
                .serviceLevelObjectives(1, 10, 50, 100, 200).register(registry);
        this.appendLatency = Timer.builder("stormwatch.command.batch.duration")
                .description("Time to execute a batch of commands and commit it (lock, decide, append)")
                .publishPercentileHistogram().register(registry);
    }

    /** One command's outcome: accepted, rejected or duplicate, by command type ("invalid" when undecodable). */
    public void command(String type, String outcome) {
        Counter.builder("stormwatch.commands").description("Commands by type and outcome")
                .tags("type", type, "outcome", outcome).register(registry).increment();
    }

    public void batch(int commands, int events, Duration took) {
        batchSize.record(commands);
        appendLatency.record(took);
        events("command", events);
    }

    /** Events appended to the log, by who appended them (command handling, alert evaluation). */
    public void events(String by, int count) {
        if (count > 0) {
            Counter.builder("stormwatch.events.appended").description("Events appended to the event store")
                    .tag("by", by).register(registry).increment(count);
        }
    }

    /** A CAP message's worth of alert event: msgType Alert, Update or Cancel, by severity. */
    public void alert(String msgType, String severity) {
        Counter.builder("stormwatch.alerts").description("Alert events by CAP msgType and severity")
                .tags("msgType", msgType, "severity", severity).register(registry).increment();
    }

    /** A reply not sent because its reply-to is not an address meant for replies. */
    public void replyRefused(String reason) {
        Counter.builder("stormwatch.replies.refused").description("Replies not sent: the reply-to is not a reply address")
                .tag("reason", reason).register(registry).increment();
    }

    /** A reply the broker refused or that could not be sent (the reply-to gone, full, or not allowed). */
    public void replyFailed() {
        Counter.builder("stormwatch.replies.failed").description("Replies sent but not taken by the broker")
                .register(registry).increment();
    }

    /** Messages kept in the dead_letter table, by where they came from. */
    public void deadLetters(String source, int count) {
        if (count > 0) {
            Counter.builder("stormwatch.dead.letters").description("Messages kept as dead letters")
                    .tag("source", source).register(registry).increment(count);
        }
    }

    public MeterRegistry registry() {
        return registry;
    }
}
