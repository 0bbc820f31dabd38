package io.stormwatch.dev;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Random;
import java.util.UUID;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.amqp.OutgoingAmqpMetadata;
import io.stormwatch.amqp.Topology;
import io.stormwatch.api.Addresses;
import io.stormwatch.api.Command;
import io.stormwatch.api.Command.DefineAlertRule;
import io.stormwatch.api.Command.RecordObservation;
import io.stormwatch.api.Command.RegisterStation;
import io.stormwatch.eventstore.EventCodec;
import io.stormwatch.platform.StormwatchConfig;

/**
 * Ten stations at real places that register and then report through the broker like any outside client, so a
 * newcomer sees data move at once. On in dev mode, off elsewhere ({@code stormwatch.simulator.enabled}).
 */
@Singleton
public class StationSimulator {

    private static final Logger LOG = Logger.getLogger(StationSimulator.class);

    private final MutinyEmitter<String> commands;
    private final EventCodec codec;
    private final boolean enabled;
    private final WeatherModel model = new WeatherModel(new Random());

    public StationSimulator(@Channel(Topology.SIMULATOR_CHANNEL) MutinyEmitter<String> commands, EventCodec codec,
            StormwatchConfig config) {
        this.commands = commands;
        this.codec = codec;
        this.enabled = config.simulator().enabled();
    }

    void register(@Observes StartupEvent started) {
        if (!enabled) {
            return;
        }
        LOG.infof("Station simulator on: %d stations report to %s", SimulatedStation.ALL.size(), Addresses.COMMANDS);
        for (SimulatedStation s : SimulatedStation.ALL) {
            // A fixed commandId: registering again at the next start is answered as a duplicate.
            send(new RegisterStation("simulator-register-" + s.stationId(), s.stationId(), s.name(), s.latitude(),
                    s.longitude(), s.elevationM()));
        }
        // A rule the simulated storms trip now and then, so that alerts show up in dev as an operator would set them.
        send(new DefineAlertRule("simulator-rule-gale", "gale", "Gale", "windSpeedMs", ">=", 17.0, 12.0, 9L, "Severe",
                "Immediate", 3600L, null));
    }

    @Scheduled(every = "${stormwatch.simulator.interval:" + StormwatchConfig.Simulator.DEFAULT_INTERVAL + "}",
            delayed = "2s")
    void report() {
        if (!enabled) {
            return;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (SimulatedStation s : SimulatedStation.ALL) {
            send(new RecordObservation(UUID.randomUUID().toString(), model.next(s, now)));
        }
    }

    private void send(Command command) {
        commands.sendMessageAndForget(Message.of(codec.toJson(command)).addMetadata(OutgoingAmqpMetadata.builder()
                .withMessageId(command.commandId())
                .withContentType("application/json")
                .withDurable(true)
                .build()));
    }
}
