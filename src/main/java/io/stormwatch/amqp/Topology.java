package io.stormwatch.amqp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.Config;

import io.stormwatch.api.Command;
import io.stormwatch.api.Event;
import io.stormwatch.api.Query;
import io.stormwatch.platform.StormwatchConfig;
import io.stormwatch.projection.EventHandler;
import io.stormwatch.projection.Subscriptions;

/**
 * The links of this service as data: which handler listens or speaks on which address, for which message types,
 * one-to-one (a queue: each message to one consumer) or one-to-many (a multicast address: each to every
 * subscriber). Built from the configuration and the handlers themselves, so it cannot drift from what runs.
 */
@Singleton
public class Topology {

    /** The SmallRye channel of the dev station simulator (dev.StationSimulator), listed with the other links. */
    public static final String SIMULATOR_CHANNEL = "simulator";

    public record Link(String handler, String kind, String address, String direction, String cardinality,
            String channel, List<String> messageTypes) {
    }

    public record Address(String address, String routing, List<String> directions, List<String> messageTypes) {
    }

    public record View(List<Address> addresses, List<Link> links) {
    }

    private static final String ONE_TO_ONE = "one-to-one";
    private static final String ONE_TO_MANY = "one-to-many";
    private static final String OWN_LINK = "own Vert.x AMQP link";
    /** Not an address: the service's own handlers read the event table (see projection/Subscription). */
    private static final String EVENT_STORE = "(event store)";

    private final List<Link> links = new ArrayList<>();

    public Topology(Config config, StormwatchConfig stormwatch, Subscriptions subscriptions) {
        List<String> commands = Command.typeNames();
        links.add(new Link("command-handler", "command handler", stormwatch.commands().address(), "in", ONE_TO_ONE,
                OWN_LINK, commands));
        links.add(new Link("command-replies", "reply", "(each command's reply-to)", "out", ONE_TO_ONE,
                OWN_LINK, List.of("CommandReply")));
        links.add(new Link("query-handler", "query handler", stormwatch.queries().address(), "in", ONE_TO_ONE,
                OWN_LINK, Query.typeNames()));
        links.add(new Link("query-replies", "reply", "(each query's reply-to)", "out", ONE_TO_ONE, OWN_LINK,
                List.of("QueryReply")));
        links.add(new Link("event-publisher", "outbox relay", stormwatch.publication().eventsAddress(), "out",
                ONE_TO_MANY, OWN_LINK, Event.typeNames()));
        links.add(new Link("alert-publisher", "outbox relay (CAP 1.2)", stormwatch.alerts().address(), "out",
                ONE_TO_MANY, OWN_LINK, List.of("CAP Alert", "CAP Update", "CAP Cancel")));
        for (EventHandler handler : subscriptions.handlers()) {
            links.add(new Link(handler.name(), "event handler", EVENT_STORE, "in", ONE_TO_MANY,
                    "reads the event store after each append", handler.eventTypes()));
        }
        links.add(new Link("simulator", "event source", config.getValue("mp.messaging.outgoing."
                + SIMULATOR_CHANNEL + ".address", String.class), "out", ONE_TO_ONE,
                SIMULATOR_CHANNEL, List.of("RegisterStation", "RecordObservation", "DefineAlertRule")));
    }

    public View view() {
        Map<String, Set<String>> directions = new LinkedHashMap<>();
        Map<String, Set<String>> types = new LinkedHashMap<>();
        Map<String, String> routing = new LinkedHashMap<>();
        for (Link link : links) {
            if (link.address().startsWith("(")) {
                continue;
            }
            directions.computeIfAbsent(link.address(), a -> new LinkedHashSet<>()).add(link.direction());
            types.computeIfAbsent(link.address(), a -> new LinkedHashSet<>()).addAll(link.messageTypes());
            routing.putIfAbsent(link.address(), link.cardinality().equals(ONE_TO_MANY) ? "multicast" : "anycast");
        }
        List<Address> addresses = new ArrayList<>();
        routing.forEach((address, route) -> addresses.add(new Address(address, route,
                List.copyOf(directions.get(address)), List.copyOf(types.get(address)))));
        return new View(addresses, List.copyOf(links));
    }
}
