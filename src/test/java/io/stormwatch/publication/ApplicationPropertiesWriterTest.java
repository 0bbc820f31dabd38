package io.stormwatch.publication;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;
import org.apache.qpid.proton.codec.WritableBuffer;
import org.apache.qpid.proton.message.impl.MessageImpl;
import org.junit.jupiter.api.Test;

/** Byte for byte what proton writes, at every boundary of the encodings it chooses between; nothing else taken. */
class ApplicationPropertiesWriterTest {

    @Test
    void writes_longs_as_proton_does_on_both_sides_of_the_small_form() {
        for (long value : List.of(0L, 1L, -1L, 127L, 128L, -128L, -129L, 1_000_000L, Long.MAX_VALUE, Long.MIN_VALUE)) {
            assertSameAsProton(Map.of("cloudEvents:position", value));
        }
    }

    @Test
    void writes_strings_as_proton_does_on_both_sides_of_the_short_form() {
        for (int length : List.of(0, 1, 254, 255, 256, 70_000)) {
            assertSameAsProton(Map.of("k", "x".repeat(length)));
            assertSameAsProton(Map.of("k".repeat(Math.max(1, length)), "v"));
        }
    }

    @Test
    void writes_maps_as_proton_does_on_both_sides_of_the_short_form() {
        // One entry of 3 + 2 + n bytes ("k", then a str8 of n): the 8-bit form holds up to 253 bytes of entries.
        for (int content = 250; content <= 258; content++) {
            assertSameAsProton(Map.of("k", "v".repeat(content - 5)));
        }
        // And up to 127 entries: here 2 + 2 bytes each ("a" to "zz", then a small long).
        for (int entries : List.of(0, 1, 62, 63, 64, 127, 128)) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < entries; i++) {
                map.put(Integer.toString(i, 36), (long) (i % 100));
            }
            assertSameAsProton(map);
        }
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("cloudEvents:specversion", "1.0");
        mixed.put("cloudEvents:id", "0193b1a4-5c2e-7d10-8a43-1f2e3d4c5b6a");
        mixed.put("cloudEvents:position", 123_456_789L);
        mixed.put("cloudEvents:streamversion", 3L);
        mixed.put("traceparent", "00-3191dffefcdb6d712588a4ace905c3df-f4af5d1675004198-01");
        assertSameAsProton(mixed);
    }

    @Test
    void leaves_anything_else_to_proton() {
        assertThat(ApplicationPropertiesWriter.write(null)).isNull();
        assertThat(ApplicationPropertiesWriter.write(new ApplicationProperties(null))).isNull();
        assertThat(write(Map.of("k", "Å"))).isNull();
        assertThat(write(Map.of("Å", "v"))).isNull();
        assertThat(write(Map.of("k", 1))).isNull();
        assertThat(write(Map.of("k", true))).isNull();
        Map<String, Object> withNull = new LinkedHashMap<>();
        withNull.put("k", null);
        assertThat(write(withNull)).isNull();
    }

    private static byte[] write(Map<String, Object> map) {
        return ApplicationPropertiesWriter.write(new ApplicationProperties(map));
    }

    private static void assertSameAsProton(Map<String, Object> map) {
        ApplicationProperties section = new ApplicationProperties(map);
        ByteBuffer buffer = ByteBuffer.allocate(1 << 20);
        int written = new MessageImpl(null, null, null, null, section, null, null)
                .encode(new WritableBuffer.ByteBufferWrapper(buffer));
        assertThat(ApplicationPropertiesWriter.write(section)).as(map.toString())
                .isEqualTo(Arrays.copyOf(buffer.array(), written));
    }
}
