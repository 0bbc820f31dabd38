package io.stormwatch.alerting;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.opentelemetry.api.trace.SpanKind;
import io.stormwatch.api.Event;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.domain.AlertEvaluation.Location;
import io.stormwatch.domain.AlertEvaluation.Outcome;
import io.stormwatch.domain.AlertRule;
import io.stormwatch.domain.AlertState;
import io.stormwatch.eventstore.EventMetadata;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.platform.Tracing;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * One batch of the alert evaluator: the rules, the (station, rule) states and the station locations of everything it
 * touches, loaded once and saved once, and the alert events it decided, each with the event that caused it.
 */
final class EvaluationBatch {

    final SqlConnection tx;
    final Map<String, AlertRule> rules;
    final Map<String, AlertState> states = new LinkedHashMap<>();
    final Map<String, Location> locations = new HashMap<>();
    final List<AlertAppender.Caused> out = new ArrayList<>();
    private final Tracing tracing;

    EvaluationBatch(SqlConnection tx, Map<String, AlertRule> rules, List<AlertState> loaded, Tracing tracing) {
        this.tx = tx;
        this.rules = new HashMap<>(rules);
        this.tracing = tracing;
        loaded.forEach(this::keep);
    }

    /**
     * The stations some rule may apply to while the batch is evaluated: a rule stored before it, or one it defines.
     * Only they need their alert states and their locations (two index probes of the event log per station): with
     * no rule for a station, its observations are evaluated against nothing.
     */
    static Set<String> watched(Set<String> stations, Collection<AlertRule> stored, List<Event> batch) {
        List<AlertRule> rules = new ArrayList<>(stored);
        batch.forEach(e -> {
            if (e instanceof AlertRuleDefined defined) {
                rules.add(AlertRule.of(defined));
            }
        });
        Set<String> watched = new LinkedHashSet<>();
        for (String station : stations) {
            if (rules.stream().anyMatch(rule -> rule.appliesTo(station))) {
                watched.add(station);
            }
        }
        return watched;
    }

    AlertState state(String stationId, String ruleId) {
        return states.computeIfAbsent(key(stationId, ruleId), k -> AlertState.empty(stationId, ruleId));
    }

    /** A state loaded from the store, unless the batch already holds a newer one. */
    void keepIfAbsent(AlertState state) {
        states.putIfAbsent(key(state.stationId(), state.ruleId()), state);
    }

    /** The rule's states with an active alert. */
    List<AlertState> activeOf(String ruleId) {
        return states.values().stream().filter(s -> s.ruleId().equals(ruleId) && s.active()).toList();
    }

    void forget(String ruleId) {
        states.values().removeIf(s -> s.ruleId().equals(ruleId));
    }

    void apply(Outcome outcome, RecordedEvent cause) {
        keep(outcome.state());
        if (outcome.events().isEmpty()) {
            return;
        }
        String trace = tracing.step("alert-evaluator evaluate", SpanKind.INTERNAL,
                EventMetadata.traceparentOf(cause.metadata()));
        outcome.events().forEach(e -> out.add(new AlertAppender.Caused(e, cause.eventId().toString(), trace)));
    }

    private void keep(AlertState state) {
        states.put(key(state.stationId(), state.ruleId()), state);
    }

    private static String key(String stationId, String ruleId) {
        return stationId + '\u0000' + ruleId;
    }
}
