package io.stormwatch.amqp;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import jakarta.inject.Singleton;

import io.stormwatch.api.Addresses;
import io.stormwatch.platform.StormwatchConfig;
import io.vertx.mutiny.amqp.AmqpMessage;

/**
 * Which reply-to addresses the service answers. A reply goes out with the service's own rights, so a client-chosen
 * reply-to must not be one of the service's addresses (a reply-to weather.events put the client's words on every
 * subscriber's stream; one to weather.commands came back in as a command), nor anything else that is not meant for
 * replies: only a configured prefix (replies. by default) or a dynamic node the client created; and when the
 * broker vouches for the sender, only that sender's own reply queues.
 */
@Singleton
public class ReplyAddresses {

    /** Artemis names the dynamic (temporary) nodes it creates for clients with a random UUID. */
    private static final Pattern DYNAMIC = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** RabbitMQ 3.x's AMQP 1.0 names a queue /queue/NAME; /topic/ and /exchange/ go to exchanges, never replies. */
    private static final String QUEUE_PREFIX = "/queue/";

    private final Set<String> own;
    private final List<String> prefixes;
    private final boolean allowDynamic;
    private final boolean enforce;
    private final String identityProperty;

    public ReplyAddresses(StormwatchConfig config) {
        this.own = Set.copyOf(Stream.of(config.commands().address(), config.queries().address(),
                        config.publication().eventsAddress(), config.alerts().address(), config.deadLetters().address(),
                        Addresses.COMMANDS, Addresses.QUERIES, Addresses.EVENTS, Addresses.ALERTS, Addresses.DEAD_LETTERS)
                .map(ReplyAddresses::bare).toList());
        this.prefixes = config.replies().prefixes().stream().map(p -> p.toLowerCase(Locale.ROOT)).toList();
        this.allowDynamic = config.replies().allowDynamic();
        this.enforce = config.identity().enforce();
        this.identityProperty = config.identity().property();
    }

    /** The broker-authenticated sender of a request, when identities are checked (else null: anyone's queue). */
    public String sender(AmqpMessage request) {
        return enforce ? AmqpMessages.sender(request, identityProperty) : null;
    }

    /**
     * Why the service will not reply to {@code address} for {@code sender} (null when identities are not checked),
     * or empty when it will. A known sender's reply queue must be its own: a reply prefix followed by its name
     * ({@code replies.OSLO-1.}), so that a client cannot aim a reply, with a correlation id of its choosing, at
     * another client's queue; a dynamic node is its creator's alone.
     */
    public Optional<String> refusal(String address, String sender) {
        String bare = bare(address);
        if (own.contains(bare) || bare.startsWith("weather.")) {
            return Optional.of("own-address");
        }
        if (address.startsWith("/") && !address.startsWith(QUEUE_PREFIX)) {
            return Optional.of("not-a-queue");
        }
        if (allowDynamic && DYNAMIC.matcher(bare).matches()) {
            return Optional.empty();
        }
        if (sender == null ? prefixes.stream().anyMatch(bare::startsWith)
                : prefixes.stream().anyMatch(p -> bare.startsWith(p + sender.toLowerCase(Locale.ROOT) + "."))) {
            return Optional.empty();
        }
        return Optional.of(sender != null && prefixes.stream().anyMatch(bare::startsWith) ? "not-the-senders"
                : "not-a-reply-address");
    }

    private static String bare(String address) {
        String name = address.startsWith(QUEUE_PREFIX) ? address.substring(QUEUE_PREFIX.length())
                : address.startsWith("/topic/") ? address.substring("/topic/".length()) : address;
        return name.strip().toLowerCase(Locale.ROOT);
    }
}
