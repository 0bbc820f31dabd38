package io.stormwatch.publication;

import java.nio.ByteBuffer;

import org.apache.qpid.proton.amqp.messaging.Data;
import org.apache.qpid.proton.codec.CompositeWritableBuffer;
import org.apache.qpid.proton.codec.DroppingWritableBuffer;
import org.apache.qpid.proton.codec.WritableBuffer;
import org.apache.qpid.proton.message.Message;
import org.apache.qpid.proton.message.impl.MessageImpl;

import io.vertx.amqp.impl.AmqpMessageImpl;
import io.vertx.mutiny.amqp.AmqpMessage;

/**
 * A message that proton encodes once: the publisher's size check and the send then use the same bytes. Encoding a
 * message, its CloudEvent application properties above all, is the largest single cost of publishing, and the size
 * check had done it a second time (6.5% of the service's profile in a batch run; docs/benchmarks.md, sixth round).
 * <p>
 * The sections must not change once {@link #size()} or a send has encoded them.
 */
final class EncodedMessage extends MessageImpl {

    /** Room for the header and the properties beyond the body; a larger message is encoded again at its size. */
    private static final int SPARE = 1024;

    private byte[] bytes;
    private int length = -1;

    private EncodedMessage(Message message) {
        super(message.getHeader(), message.getDeliveryAnnotations(), message.getMessageAnnotations(),
                message.getProperties(), message.getApplicationProperties(), message.getBody(), message.getFooter());
    }

    /**
     * The message, addressed to the link it goes out on: the AMQP client copies a message without an address to give
     * it one, which would lose the encoding.
     */
    static EncodedMessage of(AmqpMessage message, String address) {
        EncodedMessage encoded = new EncodedMessage(message.getDelegate().unwrap());
        encoded.setAddress(address);
        return encoded;
    }

    /** The size on the wire, as the broker counts it. */
    int size() {
        encodeOnce();
        return length;
    }

    AmqpMessage toAmqpMessage() {
        return AmqpMessage.newInstance(new AmqpMessageImpl(this));
    }

    @Override
    public int encode(WritableBuffer buffer) {
        encodeOnce();
        buffer.put(bytes, 0, length);
        return length;
    }

    private void encodeOnce() {
        if (length >= 0) {
            return;
        }
        // super.encode, not encode: the byte[] overloads of MessageImpl call back into encode(WritableBuffer).
        ByteBuffer guess = ByteBuffer.allocate(bodySize() + SPARE);
        CompositeWritableBuffer buffer = new CompositeWritableBuffer(new WritableBuffer.ByteBufferWrapper(guess),
                new DroppingWritableBuffer());
        super.encode(buffer);
        int size = buffer.position();
        if (size <= guess.capacity()) {
            bytes = guess.array();
        } else {
            bytes = new byte[size];
            super.encode(new WritableBuffer.ByteBufferWrapper(ByteBuffer.wrap(bytes)));
        }
        length = size;
    }

    private int bodySize() {
        return getBody() instanceof Data data && data.getValue() != null ? data.getValue().getLength() : 0;
    }
}
