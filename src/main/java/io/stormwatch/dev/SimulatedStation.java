package io.stormwatch.dev;

import java.util.ArrayList;
import java.util.List;

/** A real place the simulator reports from; its climate follows from its latitude and elevation. */
public record SimulatedStation(String stationId, String name, double latitude, double longitude, double elevationM) {

    public static final List<SimulatedStation> ALL = List.of(
            new SimulatedStation("OSLO-1", "Oslo Blindern", 59.9423, 10.7200, 94),
            new SimulatedStation("BERGEN-1", "Bergen Florida", 60.3833, 5.3333, 12),
            new SimulatedStation("TROMSO-1", "Tromsø", 69.6536, 18.9368, 100),
            new SimulatedStation("REYKJAVIK-1", "Reykjavík", 64.1275, -21.9028, 52),
            new SimulatedStation("HELSINKI-1", "Helsinki Kaisaniemi", 60.1751, 24.9445, 4),
            new SimulatedStation("LONDON-1", "London St James's Park", 51.5040, -0.1290, 5),
            new SimulatedStation("ZURICH-1", "Zürich Fluntern", 47.3779, 8.5657, 556),
            new SimulatedStation("MADRID-1", "Madrid Retiro", 40.4117, -3.6781, 667),
            new SimulatedStation("LISBON-1", "Lisboa Geofísico", 38.7194, -9.1497, 77),
            new SimulatedStation("ATHENS-1", "Athens Thiseio", 37.9722, 23.7194, 107));

    /**
     * {@code count} stations for a load generator: the real places in turn, each copy a little apart from the
     * last, with ids such as {@code OSLO-1-B17} prefixed by {@code prefix} (so that runs do not share stations).
     */
    public static List<SimulatedStation> generated(String prefix, int count) {
        List<SimulatedStation> stations = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SimulatedStation base = ALL.get(i % ALL.size());
            double offset = (i / ALL.size()) * 0.01;
            stations.add(new SimulatedStation(prefix + base.stationId() + "-B" + i, base.name() + " #" + i,
                    base.latitude() + offset, base.longitude() + offset, base.elevationM()));
        }
        return stations;
    }

    /** A rough annual-mean temperature: colder to the north and with height. */
    double baseTemperatureC() {
        return 27.0 - 0.45 * latitude - 0.0065 * elevationM;
    }
}
