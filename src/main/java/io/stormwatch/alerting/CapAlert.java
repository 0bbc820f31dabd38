package io.stormwatch.alerting;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An OASIS CAP 1.2 alert message, with the elements Stormwatch fills, declared in the standard's order (Jackson
 * writes record components in declaration order, and {@link CapXml} follows the same order).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CapAlert(String identifier, String sender, String sent, String status, String msgType, String scope,
        String references, List<Info> info) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Info(String language, List<String> category, String event, List<String> responseType,
            String urgency, String severity,
            String certainty, String onset, String expires, String senderName, String headline, String description,
            List<Parameter> parameter, List<Area> area) {
    }

    public record Parameter(String valueName, String value) {
    }

    public record Area(String areaDesc, List<String> circle) {
    }
}
