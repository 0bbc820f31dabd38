package io.stormwatch.amqp;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.Flow;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.Addresses;
import io.stormwatch.api.QueryReply;
import io.stormwatch.deadletter.DeadLetters.DeadLetter;
import io.stormwatch.deadletter.DeadLetters;
import io.stormwatch.platform.Metrics;
import io.stormwatch.platform.SafeContexts;
import io.stormwatch.platform.StormwatchConfig;
import io.stormwatch.query.QueryDecoder;
import io.stormwatch.query.QueryException;
import io.stormwatch.query.QueryService;
import io.vertx.mutiny.amqp.AmqpMessage;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * The query stream: the {@code queries} channel in (weather.queries, through {@link QueueConnector}), answered concurrently (at most
 * {@code stormwatch.queries.max-concurrent} at once, which is also the credit given to the broker, so a slow query
 * holds back no more than that), each reply sent to its reply-to with the request's correlation id. A query without
 * a reply-to cannot be answered: it is dead-lettered with that reason. Every message is settled; none stops the
 * stream.
 */
@Singleton
public class QueryConsumer {

    static final String SOURCE = "amqp:" + Addresses.QUERIES;
    private static final Logger LOG = Logger.getLogger(QueryConsumer.class);
    private static final int MAX_BODY_CHARS = 64 * 1024;

    private final QueryService queries;
    private final QueryDecoder decoder;
    private final ReplySender replies;
    private final DeadLetters deadLetters;
    private final Pool pool;
    private final SafeContexts contexts;
    private final ObjectMapper mapper;
    private final Metrics metrics;
    private final int maxConcurrent;

    public QueryConsumer(QueryService queries, QueryDecoder decoder, ReplySender replies, DeadLetters deadLetters,
            Pool pool, SafeContexts contexts, ObjectMapper mapper, Metrics metrics, StormwatchConfig config) {
        this.queries = queries;
        this.decoder = decoder;
        this.replies = replies;
        this.deadLetters = deadLetters;
        this.pool = pool;
        this.contexts = contexts;
        this.mapper = mapper;
        this.metrics = metrics;
        this.maxConcurrent = config.queries().maxConcurrent();
    }

    /** The query stream, as the channel's subscriber: it takes a new message as each answer goes out. */
    @Incoming("queries")
    public Flow.Subscriber<Message<AmqpMessage>> queries() {
        return new ConcurrentPipeline("queries", maxConcurrent, received -> handle(received.getPayload())
                .invoke(() -> received.ack())
                .onFailure().invoke(e -> {
                    LOG.warnf("query %s not handled: %s", AmqpMessages.messageId(received.getPayload()), e.toString());
                    received.nack(e);
                }).replaceWithVoid());
    }

    /** Answers or dead-letters the query; the caller accepts it once that is done. */
    private Uni<Void> handle(AmqpMessage message) {
        Optional<AmqpMessages.ReplyTo> to = AmqpMessages.replyTo(message);
        if (to.isEmpty()) {
            return deadLetters.record(pool, List.of(new DeadLetter(SOURCE, AmqpMessages.messageId(message), null,
                            "a query without reply-to cannot be answered", AmqpMessages.contentType(message),
                            AmqpMessages.body(message))))
                    .invoke(() -> metrics.deadLetters("queries", 1));
        }
        return answer(message)
                .onFailure(QueryException.class).recoverWithItem(e -> QueryReply.error(e.getMessage()))
                .onFailure().recoverWithItem(e -> {
                    LOG.warnf("query %s failed: %s", AmqpMessages.messageId(message), e.toString());
                    return QueryReply.error("the query could not be answered now (" + e.getClass().getSimpleName()
                            + "); try again");
                })
                .chain(reply -> replies.send(to.get(), message, json(reply)));
    }

    private Uni<QueryReply> answer(AmqpMessage message) {
        String body = AmqpMessages.body(message);
        if (body == null) {
            return Uni.createFrom().item(QueryReply.error("unsupported body: expected JSON text as a data section or"
                    + " a string value, got " + AmqpMessages.bodyKind(message)));
        }
        if (body.length() > MAX_BODY_CHARS) {
            return Uni.createFrom().item(QueryReply.error("body of " + body.length()
                    + " characters exceeds the limit of " + MAX_BODY_CHARS));
        }
        return Uni.createFrom().deferred(() -> {
            var query = decoder.decode(body);
            // Panache reads need a safe context of their own; the link's event loop is not one.
            return contexts.run(() -> queries.answer(query));
        }).map(answer -> QueryReply.ok(answer.position(), answer.result()));
    }

    private String json(QueryReply reply) {
        try {
            return mapper.writeValueAsString(reply);
        } catch (JsonProcessingException e) {
            return "{\"status\":\"error\",\"error\":\"the answer could not be written\"}";
        }
    }
}
