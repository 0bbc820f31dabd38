package io.stormwatch.messaging;

import java.util.concurrent.Flow;
import java.util.function.Consumer;
import java.util.function.Function;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.mutiny.amqp.AmqpMessage;

/**
 * A link's pipeline that handles up to {@code concurrency} messages at once and takes a new one as each is done:
 * the link's credit follows the work. The handler settles its message itself, whatever happens, and its Uni ends
 * when the message is done with; a failure of it is the handler's to report (it is then only counted as done).
 */
final class ConcurrentPipeline implements MultiSubscriber<AmqpMessage> {

    private final int concurrency;
    private final Function<AmqpMessage, Uni<Void>> handler;
    private final Consumer<Throwable> onEnd;
    private Flow.Subscription upstream;

    ConcurrentPipeline(int concurrency, Function<AmqpMessage, Uni<Void>> handler, Consumer<Throwable> onEnd) {
        this.concurrency = concurrency;
        this.handler = handler;
        this.onEnd = onEnd;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        upstream = subscription;
        subscription.request(concurrency);
    }

    @Override
    public void onItem(AmqpMessage message) {
        handler.apply(message).subscribe().with(ignored -> upstream.request(1), failure -> upstream.request(1));
    }

    @Override
    public void onFailure(Throwable failure) {
        onEnd.accept(failure);
    }

    @Override
    public void onCompletion() {
        onEnd.accept(null);
    }
}
