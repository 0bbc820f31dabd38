package io.stormwatch.rest;

import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The OpenAPI document's example bodies of the successful answers, by path. */
final class ApiExamples {

    private static final Map<String, String> BY_PATH = Map.of(
            "/api/stations/{stationId}", """
                    {"stationId":"OSLO-1","name":"Oslo Blindern","latitude":59.9423,"longitude":10.72,\
                    "elevationM":94.0,"observationCount":1284,"latest":{"observedAt":"2026-11-26T15:00:00Z",\
                    "temperatureC":3.2,"humidityPct":78.0,"windSpeedMs":4.5,"windGustMs":7.1,"pressureHpa":1008.2,\
                    "precipitationMm":0.0}}""",
            "/api/stations", """
                    {"items":[{"stationId":"OSLO-1","name":"Oslo Blindern","latitude":59.9423,"longitude":10.72,\
                    "elevationM":94.0,"observationCount":1284,"latestObservedAt":"2026-11-26T15:00:00Z"}],\
                    "nextCursor":"c3xzdGF0aW9uSWR8MTAw"}""",
            "/api/stations/{stationId}/observations", """
                    {"items":[{"start":"2026-11-26T14:00:00Z","end":"2026-11-26T15:00:00Z","metrics":\
                    {"temperatureC":{"min":2.9,"max":3.6,"mean":3.21,"count":12}}}],"nextCursor":null}""",
            "/api/alerts", """
                    {"items":[{"alertId":"5b0c","stationId":"OSLO-1","ruleId":"heat","event":"Heat",\
                    "severity":"Severe","urgency":"Immediate","metric":"temperatureC","operator":">",\
                    "threshold":30.0,"clearThreshold":28.0,"value":31.2,"state":"active"}],"nextCursor":null}""",
            "/api/stats", """
                    {"stations":10,"observations":12840,"events":12910,"activeAlerts":{"Minor":0,"Moderate":1,\
                    "Severe":2,"Extreme":0},"projections":[{"name":"stations","position":12910,"lag":0}]}""",
            "/api/commands", """
                    {"status":"accepted","commandId":"obs-demo-1","position":312}""");

    private static final ObjectMapper JSON = new ObjectMapper();

    private ApiExamples() {
    }

    /** The example of the path's successful answer, as a JSON object; null when it has none. */
    static Object of(String path) {
        String example = BY_PATH.get(path);
        return example == null ? null : object(example);
    }

    private static Object object(String json) {
        try {
            return JSON.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an example of the OpenAPI document is not JSON: " + json, e);
        }
    }
}
