package io.stormwatch.publication;

import java.nio.ByteBuffer;
import java.util.Map;

import org.apache.qpid.proton.amqp.messaging.ApplicationProperties;

/**
 * The application-properties section of a CloudEvent (ASCII string keys, ASCII string and long values), written byte
 * for byte as proton writes it (AMQP 1.0 types, part 1: the smallest encoding of each map, string and long), without
 * proton's generic path, which looked up each entry's type and measured each string twice. That path was the largest
 * single cost of publishing (docs/benchmarks.md, sixth round). Any other section is left to proton.
 */
final class ApplicationPropertiesWriter {

    private static final byte DESCRIBED = 0x00;
    private static final byte SMALL_ULONG = 0x53;
    private static final byte APPLICATION_PROPERTIES = 0x74;
    private static final byte MAP8 = (byte) 0xc1;
    private static final byte MAP32 = (byte) 0xd1;
    private static final byte STR8 = (byte) 0xa1;
    private static final byte STR32 = (byte) 0xb1;
    private static final byte SMALL_LONG = 0x55;
    private static final byte LONG = (byte) 0x81;

    private ApplicationPropertiesWriter() {
    }

    /** The section's bytes, or null when it holds anything but ASCII string keys and ASCII string or long values. */
    static byte[] write(ApplicationProperties section) {
        Map<String, Object> map = section == null ? null : section.getValue();
        if (map == null) {
            return null;
        }
        int content = 0;
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            if (!(entry.getKey() instanceof String key) || !ascii(key)) {
                return null;
            }
            content += stringSize(key);
            switch (entry.getValue()) {
                case String value when ascii(value) -> content += stringSize(value);
                case Long value -> content += small(value) ? 2 : 9;
                case null, default -> {
                    return null;
                }
            }
        }
        // As proton's MapType: the 8-bit form while the count and the size (count byte included) fit in it.
        boolean small = map.size() <= 127 && content < 254;
        ByteBuffer out = ByteBuffer.allocate(3 + 1 + (small ? 2 : 8) + content);
        out.put(DESCRIBED).put(SMALL_ULONG).put(APPLICATION_PROPERTIES);
        if (small) {
            out.put(MAP8).put((byte) (content + 1)).put((byte) (2 * map.size()));
        } else {
            out.put(MAP32).putInt(content + 4).putInt(2 * map.size());
        }
        for (Map.Entry<String, Object> entry : map.entrySet()) {
            putString(out, entry.getKey());
            if (entry.getValue() instanceof Long value) {
                if (small(value)) {
                    out.put(SMALL_LONG).put((byte) value.longValue());
                } else {
                    out.put(LONG).putLong(value);
                }
            } else {
                putString(out, (String) entry.getValue());
            }
        }
        return out.array();
    }

    private static boolean small(long value) {
        return value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE;
    }

    private static boolean ascii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static int stringSize(String ascii) {
        return (ascii.length() <= 255 ? 2 : 5) + ascii.length();
    }

    private static void putString(ByteBuffer out, String ascii) {
        if (ascii.length() <= 255) {
            out.put(STR8).put((byte) ascii.length());
        } else {
            out.put(STR32).putInt(ascii.length());
        }
        for (int i = 0; i < ascii.length(); i++) {
            out.put((byte) ascii.charAt(i));
        }
    }
}
