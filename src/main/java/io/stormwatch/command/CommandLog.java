package io.stormwatch.command;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.inject.Singleton;

import io.smallrye.mutiny.Uni;
import io.stormwatch.api.CommandReply;
import io.stormwatch.eventstore.StoreTransaction;

/**
 * The first outcome of every command, by idempotency key, written in the transaction of its events. It is read
 * under the append lock, so two replicas cannot both execute the same command.
 */
@Singleton
public class CommandLog {

    /**
     * One primary-key probe per key, whatever the planner knows of the table: {@code command_id = ANY($1)} was
     * planned as a scan of the whole table while it had no statistics (autovacuum off, or not yet run), which grew
     * with the table and with the batch (2.8 million rows read in a 60 s run of 200-command batches); the fenced
     * lateral subquery (OFFSET 0) can only be a lookup per key.
     */
    private static final String FIND = """
            SELECT p.command_id, p.status, p.position, p.error
            FROM unnest($1::text[]) AS k(id)
            JOIN LATERAL (SELECT * FROM processed_command WHERE command_id = k.id OFFSET 0) p ON true""";
    private static final String INSERT = """
            INSERT INTO processed_command (command_id, status, position, error)
            SELECT * FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[])
            ON CONFLICT (command_id) DO NOTHING""";

    public Uni<Map<String, CommandReply>> find(StoreTransaction tx, Collection<String> keys) {
        if (keys.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return tx.rows(FIND, (Object) keys.toArray(String[]::new)).map(rows -> {
            Map<String, CommandReply> found = new HashMap<>();
            for (Object[] row : rows) {
                found.put((String) row[0], new CommandReply(CommandReply.Status.valueOf((String) row[1]),
                        (String) row[0], row[2] == null ? null : ((Number) row[2]).longValue(), (String) row[3]));
            }
            return found;
        });
    }

    public Uni<Void> record(StoreTransaction tx, Collection<CommandReply> outcomes) {
        if (outcomes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = outcomes.size();
        String[] ids = new String[n];
        String[] statuses = new String[n];
        Long[] positions = new Long[n];
        String[] errors = new String[n];
        int i = 0;
        for (CommandReply outcome : outcomes) {
            ids[i] = outcome.commandId();
            statuses[i] = outcome.status().name();
            positions[i] = outcome.position();
            errors[i++] = outcome.error();
        }
        // One statement for the batch (unnest), not one per command.
        return tx.update(INSERT, ids, statuses, positions, errors);
    }
}
