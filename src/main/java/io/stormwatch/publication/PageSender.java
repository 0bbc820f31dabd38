package io.stormwatch.publication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.amqp.OutgoingLink;
import io.stormwatch.deadletter.DeadLetters.DeadLetter;
import io.stormwatch.eventstore.RecordedEvent;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.amqp.AmqpSender;

/**
 * Sends a page of events: each rendered in order, then all sent together on the single link (which keeps their
 * order), each acknowledged or failed on its own. A message over the size limit is not sent but kept as a dead
 * letter; a page whose link is lost, or that is not acknowledged in time, fails as a whole.
 */
final class PageSender {

    /** Turns an event into its message; it may read the store (a CAP message refers to the alert's earlier ones). */
    @FunctionalInterface
    interface Renderer {
        Uni<AmqpMessage> render(RecordedEvent event);
    }

    private final Renderer renderer;
    private final OutgoingLink link;
    private final Rejections rejections;
    private final int maxMessageBytes;
    private final Duration sendTimeout;

    PageSender(Renderer renderer, OutgoingLink link, Rejections rejections, int maxMessageBytes,
            Duration sendTimeout) {
        this.renderer = renderer;
        this.link = link;
        this.rejections = rejections;
        this.maxMessageBytes = maxMessageBytes;
        this.sendTimeout = sendTimeout;
    }

    /** Each event's failure, or null when the broker took it; the unpublishable ones are added to the list. */
    Uni<List<Throwable>> send(AmqpSender sender, List<RecordedEvent> page, List<DeadLetter> unpublishable) {
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
                .ifNoItem().after(sendTimeout).failWith(() -> new IllegalStateException(
                        "no acknowledgement from the broker within " + sendTimeout));
    }

    private Uni<Throwable> send(AmqpSender sender, RecordedEvent event, AmqpMessage message,
            List<DeadLetter> unpublishable) {
        EncodedMessage encoded = EncodedMessage.of(message, link.address());
        int size = encoded.size();
        if (size > maxMessageBytes) {
            unpublishable.add(rejections.deadLetter(event, "message is " + size + " bytes, over the limit of "
                    + maxMessageBytes + " (stormwatch.publication.max-message-bytes); not published"));
            return Uni.createFrom().nullItem();
        }
        return sender.sendWithAck(encoded.toAmqpMessage()).replaceWith((Throwable) null)
                .onFailure().recoverWithItem(e -> e);
    }
}
