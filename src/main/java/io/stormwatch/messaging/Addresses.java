package io.stormwatch.messaging;

/** The AMQP addresses of Stormwatch (see docs/architecture.md for their routing) and the simulator's channel. */
public final class Addresses {

    public static final String COMMANDS = "weather.commands";
    public static final String QUERIES = "weather.queries";
    public static final String EVENTS = "weather.events";
    public static final String ALERTS = "weather.alerts";
    public static final String DEAD_LETTERS = "weather.dead-letters";

    /** Outgoing channel the built-in simulator sends its commands on, like any outside station. */
    public static final String SIMULATOR_CHANNEL = "simulator";

    private Addresses() {
    }
}
