package io.stormwatch.dev;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import java.util.random.RandomGenerator;

import io.stormwatch.api.Observation;

/**
 * Plausible weather: a daily temperature cycle peaking mid-afternoon local time, humidity moving against
 * temperature, wind as a random walk with gusts, and now and then a storm (strong wind, falling pressure, rain)
 * that lasts a while. Pure Java and seedable, so it can be tested and reused by a load generator.
 */
public final class WeatherModel {

    private static final double STORM_CHANCE = 0.004;

    private final RandomGenerator random;
    private final Map<String, Weather> weather = new HashMap<>();

    private static final class Weather {
        double windMs = 3;
        int stormTicksLeft;
    }

    public WeatherModel(RandomGenerator random) {
        this.random = random;
    }

    public Observation next(SimulatedStation station, Instant at) {
        Weather w = weather.computeIfAbsent(station.stationId(), id -> new Weather());
        if (w.stormTicksLeft > 0) {
            w.stormTicksLeft--;
        } else if (random.nextDouble() < STORM_CHANCE) {
            w.stormTicksLeft = 20 + random.nextInt(60);
        }
        boolean storm = w.stormTicksLeft > 0;

        double localHour = at.atOffset(ZoneOffset.UTC).getHour() + at.atOffset(ZoneOffset.UTC).getMinute() / 60.0
                + station.longitude() / 15.0;
        double cycle = Math.sin(2 * Math.PI * (localHour - 9) / 24);
        double temperature = station.baseTemperatureC() + 5 * cycle + random.nextGaussian() * 0.3 - (storm ? 4 : 0);
        double humidity = clamp(70 - 12 * cycle + random.nextGaussian() * 2 + (storm ? 20 : 0), 5, 100);

        double target = storm ? 22 : 4;
        w.windMs = clamp(w.windMs + (target - w.windMs) * 0.2 + random.nextGaussian() * 0.8, 0, 60);
        double gust = w.windMs * (1.3 + random.nextDouble() * 0.4);
        double pressure = clamp(1013 + random.nextGaussian() * 1.5 - (storm ? 25 : 0), 850, 1100);
        double rain = storm ? 2 + random.nextDouble() * 8 : humidity > 92 ? random.nextDouble() : 0;

        return new Observation(station.stationId(), at, round(temperature), round(humidity), round(w.windMs),
                round(gust), round(pressure), round(rain));
    }

    private static double clamp(double value, double min, double max) {
        return Math.max(min, Math.min(max, value));
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
