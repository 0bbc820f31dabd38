package io.stormwatch.platform;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Application settings; every one has a default, and each can be set as an environment variable. */
@ConfigMapping(prefix = "stormwatch")
public interface StormwatchConfig {

    CommandsConfig commands();

    DeadLetters deadLetters();

    Replies replies();

    Security security();

    Identity identity();

    PublicationConfig publication();

    ProjectionConfig projection();

    Alerts alerts();

    QueriesConfig queries();

    Health health();

    Simulator simulator();

    Embedded embedded();

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

    interface Alerts {
        /** The multicast address CAP 1.2 alerts are published to ("/topic/weather.alerts" on RabbitMQ 3.x). */
        @WithDefault("weather.alerts")
        String address();

        /** CAP {@code sender}: who issues the alerts, a name without spaces, commas or '&lt;'/'&amp;'. */
        @WithDefault("stormwatch@example.org")
        String sender();

        /**
         * The radius of an alert's CAP area, a circle around its station, in km: how far from the station its
         * measurement is taken to hold.
         */
        @WithDefault("10")
        double areaRadiusKm();

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

    /** Read by dev.EmbeddedConfigSourceFactory before CDI starts; mapped here so the keys are documented. */
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
