package io.stormwatch.amqp;

import java.lang.reflect.Field;

import org.apache.qpid.proton.amqp.UnsignedLong;
import org.apache.qpid.proton.engine.Delivery;
import org.apache.qpid.proton.engine.Receiver;
import org.jboss.logging.Logger;

import io.stormwatch.amqp.ReceiverLink.Oversized;
import io.vertx.proton.ProtonReceiver;

/**
 * A receiving link's max-message-size: a larger message never reaches memory. Proton drops its frames as they come,
 * the message is settled as {@link Oversized} says, and Proton detaches the link (the AMQP rule for a receiver's
 * max-message-size).
 */
final class SizeLimit {

    private static final Logger LOG = Logger.getLogger(ReceiverLink.class);

    private final long maxBytes;
    private final Oversized oversized;
    private final String link;

    SizeLimit(long maxBytes, Oversized oversized, String link) {
        this.maxBytes = maxBytes;
        this.oversized = oversized;
        this.link = link;
    }

    void applyTo(ProtonReceiver receiver) {
        receiver.setMaxMessageSize(UnsignedLong.valueOf(maxBytes));
        receiver.maxMessageSizeExceededHandler(this::settle);
    }

    /**
     * Settles the message whose frames Proton is dropping. vertx-proton 4.5 gives the handler no delivery, and
     * detaches the link without settling it, so the broker would count an attempt and send it again, to be dropped
     * again (max-delivery-attempts times, the link down each time): the delivery is taken from Proton's receiver,
     * which vertx-proton keeps in a field. OversizedCommandIT fails if an upgrade moves it.
     */
    private void settle(ProtonReceiver receiver) {
        try {
            Delivery delivery = protonReceiver(receiver).current();
            if (delivery != null && !delivery.isSettled()) {
                delivery.disposition(oversized.settle(maxBytes));
                delivery.settle();
            }
            LOG.warnf("A message of more than %d bytes on the %s was settled unread; the link is attached again",
                    maxBytes, link);
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.errorf("A message of more than %d bytes on the %s could not be settled (%s): the broker will"
                    + " redeliver it until its delivery attempts run out", maxBytes, link, e.toString());
        }
    }

    private static Receiver protonReceiver(ProtonReceiver receiver) throws ReflectiveOperationException {
        Field field = Class.forName("io.vertx.proton.impl.ProtonLinkImpl").getDeclaredField("link");
        field.setAccessible(true);
        return (Receiver) field.get(receiver);
    }
}
