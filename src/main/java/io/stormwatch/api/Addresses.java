package io.stormwatch.api;

/** The AMQP addresses of Stormwatch, part of its wire contract (docs/asyncapi.yaml; routing in docs/architecture.md). */
public final class Addresses {

    public static final String COMMANDS = "weather.commands";
    public static final String QUERIES = "weather.queries";
    public static final String EVENTS = "weather.events";
    public static final String ALERTS = "weather.alerts";
    public static final String DEAD_LETTERS = "weather.dead-letters";

    private Addresses() {
    }
}
