package io.stormwatch.domain;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

import io.stormwatch.api.Command.AcknowledgeAlert;
import io.stormwatch.api.Command.AlertCommand;
import io.stormwatch.api.Command.DefineAlertRule;
import io.stormwatch.api.Command.RemoveAlertRule;
import io.stormwatch.api.Event.AlertAcknowledged;
import io.stormwatch.api.Event.AlertRuleDefined;
import io.stormwatch.api.Event.AlertRuleRemoved;
import io.stormwatch.domain.AlertRule.Metric;
import io.stormwatch.domain.AlertRule.Operator;

/** The rules for alert-rule commands and acknowledgements; field bounds are checked before, by Bean Validation. */
public final class AlertRules {

    /** Where an alert is in its life, as the command side sees it. */
    public enum Lifecycle {
        UNKNOWN, ACTIVE, CLEARED
    }

    private AlertRules() {
    }

    /**
     * Decides an alert command against what its stream says now: {@code rule} is the rule it names as defined (null
     * when it is not), {@code lifecycle} where the alert it names stands.
     */
    public static Decision decide(AlertCommand command, Function<String, AlertRuleDefined> rule,
            Function<String, Lifecycle> lifecycle) {
        return switch (command) {
            case DefineAlertRule define -> define(rule.apply(define.ruleId()), define);
            case RemoveAlertRule remove -> remove(rule.apply(remove.ruleId()), remove);
            case AcknowledgeAlert ack -> acknowledge(lifecycle.apply(ack.alertId()), ack);
        };
    }

    /** Defines or replaces a rule; the same definition again is accepted and changes nothing. */
    public static Decision define(AlertRuleDefined current, DefineAlertRule command) {
        if (!Metric.names().contains(command.metric())) {
            return Decision.reject("metric must be one of " + String.join(", ", Metric.names()) + ", not '"
                    + command.metric() + "'");
        }
        Operator operator = Operator.of(command.operator());
        if (operator == null) {
            return Decision.reject("operator must be one of " + String.join(", ", Operator.symbols()) + ", not '"
                    + command.operator() + "'");
        }
        if (!AlertRule.SEVERITIES.contains(command.severity())) {
            return Decision.reject("severity must be one of " + String.join(", ", AlertRule.SEVERITIES) + ", not '"
                    + command.severity() + "'");
        }
        String urgency = command.urgency() == null ? AlertRule.DEFAULT_URGENCY : command.urgency();
        if (!AlertRule.URGENCIES.contains(urgency)) {
            return Decision.reject("urgency must be one of " + String.join(", ", AlertRule.URGENCIES) + ", not '"
                    + urgency + "'");
        }
        double threshold = command.threshold();
        double clear = command.clearThreshold() == null ? threshold : command.clearThreshold();
        if (operator.upward() && clear > threshold) {
            return Decision.reject("clearThreshold " + clear + " must not be above threshold " + threshold
                    + " for operator " + operator.symbol + " (it must lie on the safe side)");
        }
        if (!operator.upward() && clear < threshold) {
            return Decision.reject("clearThreshold " + clear + " must not be below threshold " + threshold
                    + " for operator " + operator.symbol + " (it must lie on the safe side)");
        }
        List<String> stations = command.stationIds() == null ? List.of()
                : command.stationIds().stream().distinct().sorted().toList();
        AlertRuleDefined defined = new AlertRuleDefined(command.ruleId(), command.name().strip(), command.metric(),
                operator.symbol, threshold, clear, command.forSeconds() == null ? 0 : command.forSeconds(),
                command.severity(), urgency, command.expiresAfterSeconds() == null
                        ? AlertRule.DEFAULT_EXPIRES_AFTER_SECONDS : command.expiresAfterSeconds(),
                stations);
        if (Objects.equals(current, defined)) {
            return Decision.accept(List.of());
        }
        return Decision.accept(List.of(defined));
    }

    public static Decision remove(AlertRuleDefined current, RemoveAlertRule command) {
        if (current == null) {
            return Decision.reject("unknown rule " + command.ruleId());
        }
        return Decision.accept(List.of(new AlertRuleRemoved(command.ruleId())));
    }

    public static Decision acknowledge(Lifecycle lifecycle, AcknowledgeAlert command) {
        return switch (lifecycle) {
            case UNKNOWN -> Decision.reject("unknown alert " + command.alertId());
            case CLEARED -> Decision.reject("alert " + command.alertId() + " is cleared; only an active alert can be"
                    + " acknowledged");
            case ACTIVE -> Decision.accept(List.of(new AlertAcknowledged(command.alertId(), command.by().strip(),
                    command.note())));
        };
    }
}
