package io.stormwatch.support;

import java.time.Instant;
import java.util.UUID;

import io.vertx.core.json.JsonObject;

/** Command bodies as a station writes them. */
public final class Commands {

    private Commands() {
    }

    /** A station id no other test run uses, so tests also pass against a long-lived external database. */
    public static String newStationId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8).toUpperCase();
    }

    public static JsonObject register(String stationId) {
        return new JsonObject().put("type", "RegisterStation").put("commandId", UUID.randomUUID().toString())
                .put("stationId", stationId).put("name", "Station " + stationId)
                .put("latitude", 59.91).put("longitude", 10.75).put("elevationM", 23.0);
    }

    public static JsonObject observation(String stationId, Instant observedAt, double temperatureC) {
        return new JsonObject().put("type", "RecordObservation").put("commandId", UUID.randomUUID().toString())
                .put("stationId", stationId).put("observedAt", observedAt.toString())
                .put("temperatureC", temperatureC).put("humidityPct", 81.5).put("windSpeedMs", 4.2)
                .put("windGustMs", 7.9).put("pressureHpa", 1009.8).put("precipitationMm", 0.4);
    }
}
