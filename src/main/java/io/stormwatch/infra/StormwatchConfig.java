package io.stormwatch.infra;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Application settings; every one has a default, and each can be set as an environment variable. */
@ConfigMapping(prefix = "stormwatch")
public interface StormwatchConfig {

    Commands commands();

    DeadLetters deadLetters();

    Replies replies();

    Security security();

    Identity identity();

    Publication publication();

    Projection projection();

    Alerts alerts();

    Queries queries();

    Health health();

    Simulator simulator();

    Embedded embedded();

    interface Commands {
        /** The AMQP address commands are consumed from ("/queue/weather.commands" on RabbitMQ 3.x). */
        @WithDefault("weather.commands")
        String address();

        /** Attach as a durable link; RabbitMQ 3.x needs false when senders declared the queue first. */
        @WithDefault("true")
        boolean durable();

        /** Most commands handled in one database transaction. */
        @WithDefault("200")
        int maxBatchSize();

        /**
         * Most events a batch's commands may carry together (a RecordObservations command of 100 counts 100): under
         * load a batch takes everything that came while the one before it was in work, and 200 commands of 100
         * observations made transactions of 20,000 events, longer than the in-memory window of recent events.
         */
        @WithDefault("5000")
        int maxBatchEvents();

        /** How long a partial batch waits for more commands before it is written. */
        @WithDefault("5ms")
        Duration maxBatchWait();

        /** Largest accepted command body, in characters; larger ones are answered rejected and dead-lettered. */
        @WithDefault("1048576")
        int maxBodyBytes();

        /**
         * Largest command message read into memory at all (encoded, every section): a larger one is rejected on the
         * link unread, with the reason in the rejection, and the broker dead-letters it. Four times the body limit,
         * so that every body up to that limit, even in 4-byte characters, is read and answered.
         */
        @WithDefault("4259840")
        long maxMessageBytes();

        /** How far in the future an observedAt may lie (station clock skew). */
        @WithDefault("5m")
        Duration maxClockSkew();
    }

    interface DeadLetters {
        /**
         * The broker's dead-letter address: what the broker gave up on (a command that failed its delivery attempts)
         * is moved from there into the dead_letter table, where the admin API lists and replays it.
         */
        @WithDefault("weather.dead-letters")
        String address();

        /** Drain the broker's dead-letter address into the dead_letter table. */
        @WithDefault("true")
        boolean drain();
    }

    interface Publication {
        /** The multicast address every stored event is published to ("/topic/weather.events" on RabbitMQ 3.x). */
        @WithDefault("weather.events")
        String eventsAddress();

        /** The CloudEvents {@code source} of every published event. */
        @WithDefault("/stormwatch")
        String source();

        /** Events read from the store and sent before the broker must have acknowledged them all. */
        @WithDefault("500")
        int pageSize();

        /** Largest message sent; a larger event is not sent but dead-lettered, so it cannot stall the stream. */
        @WithDefault("1048576")
        int maxMessageBytes();

        /**
         * How long the active publisher's lease lasts unless renewed (it is renewed every third of this): a dead
         * replica is replaced after this.
         */
        @WithDefault("5s")
        Duration leaseTtl();

        /** How often the publisher looks for events appended by other replicas (and checks or renews its lease). */
        @WithDefault("500ms")
        Duration pollInterval();

        /**
         * Least time between the starts of two publication cycles: appends that come closer together are published
         * by one cycle (0 publishes after every append).
         */
        @WithDefault("20ms")
        Duration linger();

        /** How long a page may wait for the broker's acknowledgements before it is sent again. */
        @WithDefault("30s")
        Duration sendTimeout();
    }

    interface Projection {
        /**
         * Events applied per transaction when a projector catches up. A view's rows are written once per station per
         * page (its latest values, its hour and day buckets), so under load a larger page writes fewer rows.
         */
        @WithDefault("2000")
        int pageSize();

        /** Also the fallback of the projector's {@code @Scheduled} expression, which reads the key directly. */
        String DEFAULT_POLL_INTERVAL = "1s";

        /** Poll interval that picks up events appended by other replicas. */
        @WithDefault(DEFAULT_POLL_INTERVAL)
        Duration pollInterval();

        /**
         * Least time between the starts of two runs of a handler: appends that come closer together are applied in
         * one transaction (0 runs after every append).
         */
        @WithDefault("20ms")
        Duration linger();

        /**
         * Positions of the log (events of any type) applied per transaction by a rebuild: larger than live pages,
         * nothing waits on its commits.
         */
        @WithDefault("5000")
        int rebuildPageSize();

        /**
         * Events this service appended last, kept in memory for its own handlers, which then neither read them back
         * nor parse them again (a batch of 100-observation commands is thousands of events). The publication of
         * weather.events runs about a second behind the appends at full load: with 10,000 it fell out of the window
         * and read every page back from the store.
         */
        @WithDefault("30000")
        int recentEvents();
    }

    interface Alerts {
        /** The multicast address CAP 1.2 alerts are published to ("/topic/weather.alerts" on RabbitMQ 3.x). */
        @WithDefault("weather.alerts")
        String address();

        /** CAP {@code sender}: who issues the alerts, a name without spaces, commas or '&lt;'/'&amp;'. */
        @WithDefault("stormwatch@example.org")
        String sender();

        /** Also the fallback of the expiry job's {@code @Scheduled} expression, which reads the key directly. */
        String DEFAULT_EXPIRY_CHECK_INTERVAL = "1s";

        /** How often alerts past their CAP expires are re-issued or cleared. */
        @WithDefault(DEFAULT_EXPIRY_CHECK_INTERVAL)
        Duration expiryCheckInterval();
    }

    interface Identity {
        /**
         * Check who sends each AMQP command (command/Permissions): the broker must stamp the authenticated user on
         * every message (Artemis: populate-validated-user). false (dev, tests, the simulator) takes commands from
         * anyone who can log in to the broker.
         */
        @WithDefault("true")
        boolean enforce();

        /**
         * Where the broker vouches for the sender: an application property it stamps (_AMQ_VALIDATED_USER, with
         * Artemis and the ValidatedUserStamp plugin), or "user-id", the AMQP property RabbitMQ validates.
         */
        @WithDefault("_AMQ_VALIDATED_USER")
        String property();

        /** Broker users who act as operators (any command); every other user is a station, named as its id. */
        @WithDefault("operator")
        java.util.List<String> operators();
    }

    interface Security {
        /**
         * In production, refuse to start with no users and no OIDC: the command gateway and the admin API would answer
         * nobody, and it is a deployment mistake, not a choice. false runs with them closed, on purpose.
         */
        @WithDefault("true")
        boolean requireUsers();

        /** Failed logins one client address may make within {@link #failedLoginWindow()} before it is refused (429). */
        @WithDefault("10")
        int maxFailedLogins();

        /** The window of failed logins; a client over the limit is refused until its failures fall out of it. */
        @WithDefault("1m")
        Duration failedLoginWindow();
    }

    interface Replies {
        /**
         * Reply-to addresses the service sends replies to: those that start with one of these (after RabbitMQ's
         * "/queue/"). Never one of the service's own addresses, whatever they start with.
         */
        @WithDefault("replies.")
        java.util.List<String> prefixes();

        /** Also reply to dynamic (temporary) nodes a client created: Artemis names them with a UUID. */
        @WithDefault("true")
        boolean allowDynamic();
    }

    interface Queries {
        /** The AMQP address queries are consumed from ("/queue/weather.queries" on RabbitMQ 3.x). */
        @WithDefault("weather.queries")
        String address();

        /** Attach as a durable link; RabbitMQ 3.x needs false when senders declared the queue first. */
        @WithDefault("true")
        boolean durable();

        /** Largest query message read into memory (a query is a few hundred bytes); larger ones are rejected unread. */
        @WithDefault("65536")
        long maxMessageBytes();

        /** Queries answered at once; a slow one holds back at most this many behind it. */
        @WithDefault("32")
        int maxConcurrent();

        /** Live event streams (SSE) open at once; more are refused with 429. */
        @WithDefault("1000")
        int maxStreams();

        /** Live event streams one client address may hold open at once; more are refused with 429. */
        @WithDefault("20")
        int maxStreamsPerClient();

        /** Queries (HTTP and AMQP together) that may wait for their minPosition at once; more are answered busy. */
        @WithDefault("1000")
        int maxWaiting();

        /** How long a query with minPosition waits for the read model before it is answered "not yet". */
        @WithDefault("5s")
        Duration maxWait();
    }

    interface Health {
        /** Liveness goes DOWN when the command or query link has been down longer than this. */
        @WithDefault("5m")
        Duration maxLinkDown();

        /** Readiness goes DOWN while an event handler is more than this many positions behind the log. */
        @WithDefault("100000")
        long maxProjectionLag();
    }

    interface Simulator {
        @WithDefault("false")
        boolean enabled();

        /** Also the fallback of the simulator's {@code @Scheduled} expression, which reads the key directly. */
        String DEFAULT_INTERVAL = "3s";

        @WithDefault(DEFAULT_INTERVAL)
        Duration interval();
    }

    /** Read by {@link EmbeddedConfigSourceFactory} before CDI starts; mapped here so the keys are documented. */
    interface Embedded {
        // Shared with EmbeddedConfigSourceFactory, which must read these keys before this mapping exists.
        String DEFAULT_DATA_DIR = "target/stormwatch-data";
        String DEFAULT_POSTGRES_PORT = "5433";
        String DEFAULT_AMQP_PORT = "5672";

        /** Start embedded PostgreSQL and Artemis (on in dev; {@code STORMWATCH_EMBEDDED=true} for the jar). */
        @WithDefault("false")
        boolean enabled();

        @WithDefault(DEFAULT_DATA_DIR)
        String dataDir();

        /** Delete the data directory before starting. */
        @WithDefault("false")
        boolean clean();

        /** First port tried for PostgreSQL; the next free one is taken. */
        @WithDefault(DEFAULT_POSTGRES_PORT)
        int postgresPort();

        /** First port tried for the AMQP acceptor; the next free one is taken (5672 is RabbitMQ's here). */
        @WithDefault(DEFAULT_AMQP_PORT)
        int amqpPort();
    }
}
