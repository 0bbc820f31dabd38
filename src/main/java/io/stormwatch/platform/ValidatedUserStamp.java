package io.stormwatch.platform;

import org.apache.activemq.artemis.api.core.Message;
import org.apache.activemq.artemis.core.server.ServerSession;
import org.apache.activemq.artemis.core.server.plugin.ActiveMQServerMessagePlugin;
import org.apache.activemq.artemis.core.transaction.Transaction;

/**
 * An Artemis broker plugin that stamps every message with the user its sender logged in as, in the application
 * property {@code _AMQ_VALIDATED_USER}, over whatever the client wrote there (and removes it when the sender is
 * anonymous). Artemis' own populate-validated-user does this for core messages only: AMQP messages keep the
 * property as the client sent it (Artemis 2.55, AMQPMessage does not implement setValidatedUserID), so a station
 * could write "operator" into it. SecuredBrokerIT forges the property and sees the plugin overwrite it. Install it
 * on a production broker with the stormwatch jar on the broker's classpath and
 * {@code brokerPlugins."io.stormwatch.platform.ValidatedUserStamp".class-name} (docs/operations.md).
 */
public final class ValidatedUserStamp implements ActiveMQServerMessagePlugin {

    public static final String PROPERTY = "_AMQ_VALIDATED_USER";

    @Override
    public void beforeSend(ServerSession session, Transaction tx, Message message, boolean direct,
            boolean noAutoCreateQueue) {
        String user = session.getValidatedUser();
        if (user == null) {
            if (message.removeProperty(PROPERTY) != null) {
                message.reencode();
            }
            return;
        }
        if (!user.equals(message.getStringProperty(PROPERTY))) {
            message.putStringProperty(PROPERTY, user);
            message.reencode();
        }
    }
}
