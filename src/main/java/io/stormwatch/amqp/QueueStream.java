package io.stormwatch.amqp;

import java.util.concurrent.Flow;
import java.util.function.Consumer;

import org.eclipse.microprofile.reactive.messaging.Message;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.subscription.MultiEmitter;
import io.vertx.mutiny.amqp.AmqpMessage;

/**
 * One channel's stream of messages across the attachments of its link. The channel's subscriber requests once; what
 * it has requested and not yet received is credit on the current attachment, and moves to the next one when the
 * link is lost and attached again. A message taken on a lost attachment can still be settled: the broker has
 * already put it back, so its redelivery is answered as a duplicate.
 */
final class QueueStream {

    /** Requested by the channel and not yet delivered. */
    private long outstanding;
    private Flow.Subscription current;
    private MultiEmitter<? super Message<AmqpMessage>> emitter;
    private ReceiverLink link;

    /** The channel's stream: subscribing starts the link, cancelling stops it. */
    Multi<Message<AmqpMessage>> withLink(ReceiverLink link) {
        this.link = link;
        return Multi.createFrom().<Message<AmqpMessage>>emitter(this::subscribed)
                .onRequest().invoke(this::requested)
                .onCancellation().invoke(link::stop);
    }

    private void subscribed(MultiEmitter<? super Message<AmqpMessage>> emitter) {
        synchronized (this) {
            this.emitter = emitter;
        }
        link.start();
    }

    private synchronized void requested(long n) {
        outstanding = outstanding + n < 0 ? Long.MAX_VALUE : outstanding + n;
        if (current != null) {
            current.request(n);
        }
    }

    /** A subscriber for one attachment of the link, which tells {@code onEnd} (with the failure, or null) it ended. */
    Flow.Subscriber<AmqpMessage> attachment(Consumer<Throwable> onEnd) {
        return new Flow.Subscriber<>() {
            private Flow.Subscription subscription;

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                synchronized (QueueStream.this) {
                    current = subscription;
                    if (outstanding > 0) {
                        subscription.request(outstanding);
                    }
                }
            }

            @Override
            public void onNext(AmqpMessage message) {
                MultiEmitter<? super Message<AmqpMessage>> to;
                synchronized (QueueStream.this) {
                    outstanding--;
                    to = emitter;
                }
                to.emit(Settlement.message(message));
            }

            @Override
            public void onError(Throwable failure) {
                ended(failure);
            }

            @Override
            public void onComplete() {
                ended(null);
            }

            private void ended(Throwable failure) {
                synchronized (QueueStream.this) {
                    if (current == subscription) {
                        current = null;
                    }
                }
                onEnd.accept(failure);
            }
        };
    }
}
