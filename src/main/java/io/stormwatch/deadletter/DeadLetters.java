package io.stormwatch.deadletter;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.SqlTransaction;
import io.stormwatch.eventstore.StoreTransaction;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Messages that could not be processed, kept with their reason and raw body for an operator to inspect, replay
 * (command.DeadLetterReplay) or delete.
 */
@Singleton
public class DeadLetters {

    public record DeadLetter(String source, String messageId, String commandId, String reason, String contentType,
            String body) {
    }

    /** A kept dead letter; {@code body} is null in a listing (see {@link #find}). */
    public record Stored(long id, String source, String messageId, String commandId, String reason,
            String contentType, Integer bodyLength, String body, OffsetDateTime receivedAt) {
    }

    private static final String LIST = """
            SELECT id, source, message_id, command_id, reason, content_type, length(body), NULL, received_at
            FROM dead_letter
            WHERE id > $1 AND ($2::text IS NULL OR source = $2)
            ORDER BY id
            LIMIT $3""";
    private static final String FIND = """
            SELECT id, source, message_id, command_id, reason, content_type, length(body), body, received_at
            FROM dead_letter WHERE id = $1""";
    private static final String DELETE = "DELETE FROM dead_letter WHERE id = $1";

    /** One statement for any number of letters. */
    private static final String INSERT = """
            INSERT INTO dead_letter (source, message_id, command_id, reason, content_type, body)
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])""";

    private final Pool pool;

    public DeadLetters(Pool pool) {
        this.pool = pool;
    }

    /** On a transaction's connection, or on the pool for a message that never reached one. */
    public Uni<Void> record(SqlClient client, Collection<DeadLetter> letters) {
        return record(new SqlTransaction(client), letters);
    }

    /** In a command batch's transaction, whichever the append path. */
    public Uni<Void> record(StoreTransaction tx, Collection<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        String[][] columns = new String[6][letters.size()];
        int i = 0;
        for (DeadLetter letter : letters) {
            String[] row = {letter.source(), letter.messageId(), letter.commandId(), letter.reason(),
                    letter.contentType(), withoutNul(letter.body())};
            for (int column = 0; column < row.length; column++) {
                columns[column][i] = row[column];
            }
            i++;
        }
        return tx.update(INSERT, (Object[]) columns);
    }

    /** At most {@code limit} dead letters after id {@code after}, oldest first, of one source or all (null). */
    public Uni<List<Stored>> list(long after, String source, int limit) {
        return pool.preparedQuery(LIST).execute(Tuple.of(after, source, limit)).map(rows -> {
            List<Stored> letters = new ArrayList<>(rows.size());
            rows.forEach(row -> letters.add(read(row)));
            return letters;
        });
    }

    public Uni<Optional<Stored>> find(long id) {
        return pool.preparedQuery(FIND).execute(Tuple.of(id))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(read(rows.iterator().next())));
    }

    /** Tells whether there was such a dead letter. */
    public Uni<Boolean> delete(long id) {
        return pool.preparedQuery(DELETE).execute(Tuple.of(id)).map(rows -> rows.rowCount() > 0);
    }

    private static Stored read(Row row) {
        return new Stored(row.getLong(0), row.getString(1), row.getString(2), row.getString(3), row.getString(4),
                row.getString(5), row.getInteger(6), row.getString(7), row.getOffsetDateTime(8));
    }

    /** PostgreSQL text cannot hold NUL; a body is evidence, so keep the rest of it. */
    private static String withoutNul(String body) {
        return body == null ? null : body.replace("\u0000", "\\u0000");
    }
}
