package io.stormwatch.amqp;

import java.util.concurrent.Flow;
import java.util.function.Function;

import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.subscription.MultiSubscriber;
import io.vertx.mutiny.amqp.AmqpMessage;

/**
 * A channel's subscriber that handles up to {@code concurrency} messages at once and takes a new one as each is
 * done: the link's credit follows the work. The handler settles its message itself, whatever happens, and its Uni
 * ends when the message is done with; a failure of it is the handler's to report (it is then only counted as done).
 */
final class ConcurrentPipeline implements MultiSubscriber<Message<AmqpMessage>> {

    private static final Logger LOG = Logger.getLogger(ConcurrentPipeline.class);

    private final String what;
    private final int concurrency;
    private final Function<Message<AmqpMessage>, Uni<Void>> handler;
    private Flow.Subscription upstream;

    /** @param what the stream, for its log lines ("queries", "broker dead letters") */
    ConcurrentPipeline(String what, int concurrency, Function<Message<AmqpMessage>, Uni<Void>> handler) {
        this.what = what;
        this.concurrency = concurrency;
        this.handler = handler;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
        upstream = subscription;
        subscription.request(concurrency);
    }

    @Override
    public void onItem(Message<AmqpMessage> message) {
        handler.apply(message).subscribe().with(ignored -> upstream.request(1), failure -> upstream.request(1));
    }

    @Override
    public void onFailure(Throwable failure) {
        LOG.errorf(failure, "the stream of %s failed: no more are taken", what);
    }

    @Override
    public void onCompletion() {
        LOG.debugf("the stream of %s ended", what);
    }
}
