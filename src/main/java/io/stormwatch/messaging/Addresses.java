package io.stormwatch.messaging;

/** The AMQP addresses of Stormwatch (see docs/architecture.md for their routing) and the channel names. */
public final class Addresses {

    public static final String COMMANDS = "weather.commands";
    public static final String QUERIES = "weather.queries";
    public static final String EVENTS = "weather.events";
    public static final String ALERTS = "weather.alerts";
    public static final String DEAD_LETTERS = "weather.dead-letters";

    /** Outgoing channel the built-in simulator sends its commands on, like any outside station. */
    public static final String SIMULATOR_CHANNEL = "simulator";

    /** Incoming channel of the station projection: its own subscription to weather.events. */
    public static final String STATION_PROJECTION_CHANNEL = "station-projection";

    /** Incoming channel of the alert evaluator: its own subscription to weather.events. */
    public static final String ALERT_EVALUATOR_CHANNEL = "alert-evaluator";

    /** Incoming channel of the alert view projection: its own subscription to weather.events. */
    public static final String ALERT_PROJECTION_CHANNEL = "alert-projection";

    /** Incoming channel of the observation projection (raw rows, hour and day buckets). */
    public static final String OBSERVATION_PROJECTION_CHANNEL = "observation-projection";

    private Addresses() {
    }
}
