package io.stormwatch.publication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.stormwatch.amqp.AmqpClients;
import io.stormwatch.amqp.OutgoingLink;
import io.stormwatch.deadletter.DeadLetters.DeadLetter;
import io.stormwatch.deadletter.DeadLetters;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.EventLog;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.platform.LingeredRuns;
import io.stormwatch.platform.Metrics;
import io.stormwatch.platform.PublicationConfig;
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

    private static final Logger LOG = Logger.getLogger(Publisher.class);

    private final String name;
    private final EventFilter filter;
    private final PublicationLease lease;
    private final PageSender pages;
    private final Rejections rejections;
    private final EventLog log;
    private final DeadLetters deadLetters;
    private final Pool pool;
    private final Vertx vertx;
    private final PublicationConfig config;
    private final OutgoingLink link;
    private final Metrics metrics;
    /** At most one cycle per linger: under load one cycle (its lease check, page, position) covers several batches. */
    private final LingeredRuns runs;
    private final PublicationStatus status;
    private volatile boolean stopping;
    private volatile long position;
    private volatile boolean crashAfterNextSend;
    private long timer = -1;

    Publisher(String name, String address, EventFilter filter, PageSender.Renderer renderer, PublicationStore store,
            EventLog log, DeadLetters deadLetters, Pool pool, Vertx vertx, AmqpClients clients,
            PublicationConfig config, String owner, Metrics metrics) {
        this.name = name;
        this.filter = filter;
        this.lease = new PublicationLease(name, owner, config.leaseTtl(), store);
        this.log = log;
        this.deadLetters = deadLetters;
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
        this.runs = new LingeredRuns(config.linger(), () -> stopping ? Uni.createFrom().voidItem() : cycle(),
                pause -> Uni.createFrom().emitter(done -> vertx.setTimer(pause.toMillis(), id -> done.complete(null))));
        this.link = new OutgoingLink(clients, "publisher-" + name, address);
        this.rejections = new Rejections(address);
        this.status = new PublicationStatus(name, address, config.pollInterval());
        this.pages = new PageSender(renderer, link, rejections, config.maxMessageBytes(), config.sendTimeout());
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
            lease.release().await().atMost(Duration.ofSeconds(2));
        } catch (RuntimeException e) {
            LOG.debugf("lease not released (it runs out by itself): %s", e.toString());
        }
        link.close();
    }
    /** Runs a publication cycle; one asked for while a cycle runs makes that cycle go round once more. */
    public void trigger() {
        if (!stopping) {
            runs.request().subscribe().with(ignored -> status.cycleSucceeded(), status::cycleFailed);
        }
    }

    private Uni<Void> cycle() {
        boolean wasLeader = lease.held();
        return lease.take().chain(held -> {
            if (held.isEmpty()) {
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
        List<DeadLetter> unpublishable = new ArrayList<>();
        return pages.send(sender, scan.events(), unpublishable)
                .onFailure().invoke(this::failed)
                .chain(results -> settle(scan, results, unpublishable));
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
                acknowledged = rejections.failed(page.get(i), failure, unpublishable, acknowledged);
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
                        runs.again();
                    }
                })
                .replaceWithVoid();
    }

    /** Records the position (if this replica still holds the lease) and keeps it. */
    private Uni<Boolean> advance(long reached) {
        if (reached <= position) {
            return Uni.createFrom().item(false);
        }
        return lease.advance(reached).invoke(advanced -> {
            if (advanced) {
                position = reached;
            }
        });
    }

    private void resumed() {
        status.resumed(position);
    }

    private void failed(Throwable failure) {
        status.stopped(position, failure);
        link.reset(null);
    }

    private void progress(long reached) {
        if (status.progressDue()) {
            log.head().subscribe().with(head -> {
                if (head - reached > config.pageSize()) {
                    status.backlog(reached, head);
                }
            }, e -> {
            });
        }
    }

    /**
     * Test hook for the crash between send and record: the next page is sent and acknowledged, but its position is
     * not recorded and the link is dropped, which is what a process killed at that point leaves behind.
     */
    void crashAfterNextSend() {
        crashAfterNextSend = true;
    }

    HealthCheckResponse health() {
        return status.health(lease.held(), link.attached(), position);
    }
}
