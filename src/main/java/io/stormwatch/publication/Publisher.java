package io.stormwatch.publication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.command.DeadLetters;
import io.stormwatch.command.DeadLetters.DeadLetter;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.infra.Linger;
import io.stormwatch.infra.Metrics;
import io.stormwatch.infra.StormwatchConfig;
import io.stormwatch.messaging.AmqpClients;
import io.stormwatch.messaging.OutgoingLink;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpSender;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * An outbox relay: sends the committed events of one publication (all of them to weather.events, the CAP alert
 * events to weather.alerts) in position order, a bounded page at a time, and records the position the broker
 * acknowledged in the publication table. Nothing uncommitted is ever sent (it reads the log, or the committed events
 * of RecentEvents), and nothing committed is left behind (the position moves only past acknowledged events). A
 * crash between send and record re-sends that page: subscribers skip positions they have seen.
 * <p>
 * One replica at a time publishes: the one holding the publication's lease. It renews the lease every third of its
 * time (a write that waits for the WAL flush) and, on the cycles in between, only checks that it still holds it (a
 * read); if it dies, the lease runs out and another replica takes over where the position says.
 */
public class Publisher {

    /** Turns an event into its message; it may read the store (a CAP message refers to the alert's earlier ones). */
    @FunctionalInterface
    public interface Renderer {
        Uni<AmqpMessage> render(RecordedEvent event);
    }

    private static final Logger LOG = Logger.getLogger(Publisher.class);
    /** A message the broker rejects this many times running is dead-lettered and passed over. */
    private static final int MAX_REJECTIONS = 3;
    private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);

    private final String name;
    private final EventFilter filter;
    private final Renderer renderer;
    private final PublicationStore store;
    private final EventLog log;
    private final DeadLetters deadLetters;
    private final Pool pool;
    private final Vertx vertx;
    private final StormwatchConfig.Publication config;
    private final OutgoingLink link;
    private final String owner;
    private final Metrics metrics;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private final Map<Long, Integer> rejections = new HashMap<>();
    private volatile boolean leader;
    private volatile boolean sending = true;
    private volatile boolean stopping;
    private volatile String lastFailure = "none";
    /** The failure of the last cycle, null after one that went through. */
    private volatile String cycleFailure;
    private volatile long position;
    private volatile boolean crashAfterNextSend;
    private long timer = -1;
    private long lastProgress;
    /** When the last renewal that succeeded was sent (nanoTime): the lease lasts at least the TTL from then. */
    private long renewedAt;
    private final Linger linger;

    Publisher(String name, String address, EventFilter filter, Renderer renderer, PublicationStore store, EventLog log,
            DeadLetters deadLetters, Pool pool, Vertx vertx, AmqpClients clients, StormwatchConfig.Publication config,
            String owner, Metrics metrics) {
        this.name = name;
        this.filter = filter;
        this.renderer = renderer;
        this.store = store;
        this.log = log;
        this.deadLetters = deadLetters;
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.owner = owner;
        this.metrics = metrics;
        this.linger = new Linger(config.linger());
        this.link = new OutgoingLink(clients, "publisher-" + name, address);
    }

    void start() {
        timer = vertx.setPeriodic(config.pollInterval().toMillis(), id -> trigger());
        trigger();
    }

    /** Hands the lease over at once, rather than after it runs out; the next publisher starts at our position. */
    void stop() {
        stopping = true;
        vertx.cancelTimer(timer);
        try {
            store.release(name, owner).await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf("lease not released (it runs out by itself): %s", e.toString());
        }
        link.close();
    }
    /** Runs a publication cycle; one asked for while a cycle runs makes that cycle go round once more. */
    public void trigger() {
        if (stopping) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        // Appends come in command batches a few milliseconds apart: a cycle starts at most once per linger, so
        // that under load one cycle (its lease check, its page, its position) covers several batches.
        long wait = linger.waitMillis();
        if (wait > 0) {
            vertx.setTimer(wait, id -> runCycle());
        } else {
            runCycle();
        }
    }

    private void runCycle() {
        if (stopping) {
            running.set(false);
            return;
        }
        linger.started();
        cycle().subscribe().with(ignored -> {
            cycleFailure = null;
            finished();
        }, failure -> {
            String previous = cycleFailure;
            lastFailure = cycleFailure = failure.toString();
            // A cycle failing is a warning (a failed send has logged its own); the same failure again on every
            // poll is not worth a line each time.
            if (cycleFailure.equals(previous) || !sending) {
                LOG.debugf("publication cycle failed: %s", cycleFailure);
            } else {
                LOG.warnf("publication cycle of %s failed (retried on every poll): %s", name, cycleFailure);
            }
            finished();
        });
    }

    private void finished() {
        running.set(false);
        if (again.getAndSet(false)) {
            trigger();
        }
    }

    /**
     * Renews the lease when a third of its time has gone since the last renewal, else checks that it is still held:
     * under load a cycle runs every linger, and a renewal on each was a commit waiting for the WAL flush each time.
     */
    private Uni<Optional<Long>> lease() {
        long now = System.nanoTime();
        if (leader && now - renewedAt < config.leaseTtl().toNanos() / 3) {
            return store.holds(name, owner);
        }
        return store.acquire(name, owner, config.leaseTtl()).invoke(held -> {
            if (held.isPresent()) {
                renewedAt = now;
            }
        });
    }

    private Uni<Void> cycle() {
        return lease().chain(held -> {
            boolean wasLeader = leader;
            leader = held.isPresent();
            if (!leader) {
                if (wasLeader) {
                    LOG.warn("Publication lease lost to another replica; standing by");
                    link.reset(null);
                }
                return Uni.createFrom().voidItem();
            }
            if (!wasLeader) {
                LOG.infof("Publishing %s to %s from position %d", name, link.address(), held.get());
            }
            position = held.get();
            return link.sender()
                    .onFailure().invoke(this::failed)
                    .chain(sender -> log.scan(position, filter, config.pageSize())
                            .chain(scan -> {
                                if (scan.events().isEmpty()) {
                                    // Connected, and nothing waiting: as healthy as after a page that went out; past
                                    // the events of other types, so that they are not read again.
                                    resumed();
                                    return scan.through() > position ? advance(scan.through()).replaceWithVoid()
                                            : Uni.createFrom().voidItem();
                                }
                                return publish(sender, scan);
                            }));
        });
    }

    private Uni<Void> publish(AmqpSender sender, EventLog.Scan scan) {
        List<RecordedEvent> page = scan.events();
        List<DeadLetter> unpublishable = new ArrayList<>();
        // Rendered one after the other, in order; then sent together, the order kept by the single link.
        return Multi.createFrom().iterable(page)
                .onItem().transformToUniAndConcatenate(renderer::render)
                .collect().asList()
                .chain(messages -> {
                    List<Uni<Throwable>> acks = new ArrayList<>(page.size());
                    for (int i = 0; i < page.size(); i++) {
                        acks.add(send(sender, page.get(i), messages.get(i), unpublishable));
                    }
                    // A broker that dies leaves the acknowledgements pending for ever: fail the page at once instead
                    // of after the send timeout, so that the next poll reconnects and resends from the position.
                    return link.untilLost(Uni.join().all(acks).andFailFast());
                })
                .ifNoItem().after(config.sendTimeout()).failWith(() -> new IllegalStateException(
                        "no acknowledgement from the broker within " + config.sendTimeout()))
                .onFailure().invoke(this::failed)
                .chain(results -> settle(scan, results, unpublishable));
    }

    private Uni<Throwable> send(AmqpSender sender, RecordedEvent event, AmqpMessage message,
            List<DeadLetter> unpublishable) {
        EncodedMessage encoded = EncodedMessage.of(message, link.address());
        int size = encoded.size();
        if (size > config.maxMessageBytes()) {
            unpublishable.add(deadLetter(event, "message is " + size + " bytes, over the limit of "
                    + config.maxMessageBytes() + " (stormwatch.publication.max-message-bytes); not published"));
            return Uni.createFrom().nullItem();
        }
        return sender.sendWithAck(encoded.toAmqpMessage()).replaceWith((Throwable) null)
                .onFailure().recoverWithItem(e -> e);
    }

    /** Moves the position past every event acknowledged without a failure before it. */
    private Uni<Void> settle(EventLog.Scan scan, List<Throwable> results, List<DeadLetter> unpublishable) {
        List<RecordedEvent> page = scan.events();
        if (crashAfterNextSend) {
            crashAfterNextSend = false;
            LOG.warnf("test hook: publisher dropped after sending up to %d, before recording it", page.getLast().position());
            link.reset(null);
            return Uni.createFrom().voidItem();
        }
        long acknowledged = position;
        Throwable failure = null;
        for (int i = 0; i < page.size(); i++) {
            failure = results.get(i);
            if (failure != null) {
                acknowledged = passOverIfRejectedTooOften(page.get(i), failure, unpublishable, acknowledged);
                break;
            }
            acknowledged = page.get(i).position();
        }
        if (failure != null) {
            failed(failure);
        } else {
            resumed();
            acknowledged = scan.through(); // and past the events of other types read through after the page
        }
        long reached = acknowledged;
        Uni<Void> recorded = unpublishable.isEmpty() ? Uni.createFrom().voidItem()
                : pool.withTransaction(tx -> deadLetters.record(tx, unpublishable))
                        .invoke(() -> metrics.deadLetters("publication:" + name, unpublishable.size()));
        return recorded.chain(() -> advance(reached))
                .invoke(advanced -> {
                    if (advanced) {
                        progress(page.getLast().position());
                    }
                })
                .invoke(advanced -> {
                    // A full page acknowledged: there may be more right behind it.
                    if (advanced && reached == page.getLast().position() && page.size() == config.pageSize()) {
                        again.set(true);
                    }
                })
                .replaceWithVoid();
    }

    /** Records the position (if this replica still holds the lease) and keeps it. */
    private Uni<Boolean> advance(long reached) {
        if (reached <= position) {
            return Uni.createFrom().item(false);
        }
        return store.advance(name, owner, reached).invoke(advanced -> {
            if (advanced) {
                position = reached;
            }
        });
    }

    private long passOverIfRejectedTooOften(RecordedEvent event, Throwable failure, List<DeadLetter> unpublishable,
            long acknowledged) {
        if (!String.valueOf(failure.getMessage()).contains("REJECTED")) {
            return acknowledged;
        }
        int count = rejections.merge(event.position(), 1, Integer::sum);
        if (count < MAX_REJECTIONS) {
            return acknowledged;
        }
        rejections.remove(event.position());
        LOG.errorf("event %d rejected by the broker %d times; dead-lettered and passed over: %s", event.position(),
                count, failure.getMessage());
        unpublishable.add(deadLetter(event, "rejected by the broker " + count + " times: " + failure.getMessage()));
        return event.position();
    }

    private DeadLetter deadLetter(RecordedEvent event, String reason) {
        return new DeadLetter("publication:" + link.address(), event.eventId().toString(), null,
                "event " + event.position() + " (" + event.type() + "): " + reason, CloudEventWriter.CONTENT_TYPE,
                null);
    }

    private void resumed() {
        if (!sending) {
            LOG.infof("Publishing to %s resumed at position %d", link.address(), position);
        }
        sending = true;
    }

    private void failed(Throwable failure) {
        if (sending) {
            LOG.warnf("Publishing to %s stopped at position %d (%s); retrying every %d ms", link.address(),
                    position, failure.toString(), config.pollInterval().toMillis());
        }
        sending = false;
        lastFailure = failure.toString();
        link.reset(null);
    }

    private void progress(long reached) {
        long now = System.nanoTime();
        if (now - lastProgress < PROGRESS_EVERY.toNanos()) {
            return;
        }
        lastProgress = now;
        log.head().subscribe().with(head -> {
            if (head - reached > config.pageSize()) {
                LOG.infof("Publishing a backlog to %s: at position %d of %d", link.address(), reached, head);
            }
        }, e -> {
        });
    }

    /**
     * Test hook for the crash between send and record: the next page is sent and acknowledged, but its position is
     * not recorded and the link is dropped, which is what a process killed at that point leaves behind.
     */
    void crashAfterNextSend() {
        crashAfterNextSend = true;
    }

    /** Ready when standing by, or when the last page went out and the link is up. */
    HealthCheckResponse health() {
        boolean up = !leader || (sending && link.attached());
        return HealthCheckResponse.named("publication (" + link.address() + ")")
                .status(up)
                .withData("role", leader ? "active" : "standby")
                .withData("position", position)
                .withData("lastFailure", up ? "none" : lastFailure)
                .build();
    }
}
