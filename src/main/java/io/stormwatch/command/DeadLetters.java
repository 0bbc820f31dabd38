package io.stormwatch.command;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/** Messages that could not be processed, kept with their reason and raw body for an operator to inspect. */
@ApplicationScoped
public class DeadLetters {

    public record DeadLetter(String source, String messageId, String commandId, String reason, String contentType,
            String body) {
    }

    private static final String INSERT = """
            INSERT INTO dead_letter (source, message_id, command_id, reason, content_type, body)
            VALUES ($1, $2, $3, $4, $5, $6)""";

    /** On a transaction's connection, or on the pool for a message that never reached one. */
    public Uni<Void> record(SqlClient client, Collection<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>(letters.size());
        for (DeadLetter letter : letters) {
            rows.add(Tuple.tuple(Arrays.asList(letter.source(), letter.messageId(), letter.commandId(),
                    letter.reason(), letter.contentType(), withoutNul(letter.body()))));
        }
        return client.preparedQuery(INSERT).executeBatch(rows).replaceWithVoid();
    }

    /** PostgreSQL text cannot hold NUL; a body is evidence, so keep the rest of it. */
    private static String withoutNul(String body) {
        return body == null ? null : body.replace("\u0000", "\\u0000");
    }
}
