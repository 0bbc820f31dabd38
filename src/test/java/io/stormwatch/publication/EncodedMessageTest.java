package io.stormwatch.publication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.UUID;

import org.apache.qpid.proton.codec.WritableBuffer;
import org.apache.qpid.proton.message.Message;
import org.junit.jupiter.api.Test;

import io.stormwatch.eventstore.RecordedEvent;
import io.vertx.mutiny.amqp.AmqpMessage;

/** The bytes sent are proton's own encoding of the message, whatever its size, however often it is written. */
class EncodedMessageTest {

    @Test
    void writesWhatProtonWouldForAnEvent() {
        assertSameAsProton(CloudEventWriter.toMessage(event("{\"stationId\":\"ÅS-1\",\"temperatureC\":3.5}",
                "{\"commandId\":\"c-1\"}"), "/stormwatch"));
    }

    @Test
    void writesWhatProtonWouldWhenThePropertiesOutgrowTheRoomLeftBesideTheBody() {
        // The traceparent is an application property: 4,000 characters of it, for a body of a few bytes.
        String traceparent = "00-" + "é".repeat(4000);
        assertSameAsProton(CloudEventWriter.toMessage(event("{}", "{\"traceparent\":\"" + traceparent + "\"}"),
                "/stormwatch"));
    }

    @Test
    void writesAnEmptyBody() {
        assertSameAsProton(AmqpMessage.create().id("x").durable(true).build());
    }

    private static void assertSameAsProton(AmqpMessage message) {
        EncodedMessage encoded = EncodedMessage.of(message, "weather.events");
        Message plain = message.getDelegate().unwrap();
        plain.setAddress("weather.events");
        byte[] expected = encode(plain);

        assertThat(encoded.size()).isEqualTo(expected.length);
        assertThat(encode(encoded)).isEqualTo(expected);
        assertThat(encode(encoded)).as("written a second time").isEqualTo(expected);
        assertThat(encoded.getAddress()).isEqualTo("weather.events");
    }

    private static byte[] encode(Message message) {
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        int written = message.encode(new WritableBuffer.ByteBufferWrapper(buffer));
        assertThat(written).isEqualTo(buffer.position());
        return Arrays.copyOf(buffer.array(), written);
    }

    private static RecordedEvent event(String payload, String metadata) {
        return new RecordedEvent(42, UUID.randomUUID(), "station-ÅS-1", 7, "ObservationRecorded", payload, metadata,
                OffsetDateTime.of(2026, 11, 27, 7, 30, 0, 0, ZoneOffset.UTC));
    }
}
