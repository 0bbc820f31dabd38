package io.stormwatch.dev;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.activemq.artemis.api.core.QueueConfiguration;
import org.apache.activemq.artemis.api.core.RoutingType;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.CoreAddressConfiguration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.config.impl.SecurityConfiguration;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.apache.activemq.artemis.spi.core.security.ActiveMQJAASSecurityManager;
import org.apache.activemq.artemis.spi.core.security.jaas.InVMLoginModule;

import io.stormwatch.api.Addresses;
import io.stormwatch.platform.ValidatedUserStamp;

/**
 * A real ActiveMQ Artemis broker in this JVM with an AMQP acceptor. The addresses are declared with their
 * routing types before any client connects, so that a client sending first cannot auto-create
 * {@code weather.commands} as multicast (see docs/operations.md for the same as broker.xml).
 */
final class EmbeddedArtemis {

    private EmbeddedArtemis() {
    }

    static EmbeddedActiveMQ start(Path dataDir, String host, int port) throws Exception {
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(configuration(dataDir, host, port));
        broker.start();
        return broker;
    }

    /**
     * The same broker as production's: login required, and the production overlay's own broker properties (security
     * by address and role, the sender stamped on every message by ValidatedUserStamp, address settings) applied on
     * top, with the given users and their roles.
     */
    static EmbeddedActiveMQ startSecure(Path dataDir, String host, int port, Properties brokerProperties,
            Map<String, String> passwords, Map<String, List<String>> roles) throws Exception {
        ConfigurationImpl config = configuration(dataDir, host, port);
        config.parsePrefixedProperties(brokerProperties, null);
        config.setSecurityEnabled(true);
        config.setPopulateValidatedUser(true);
        SecurityConfiguration users = new SecurityConfiguration();
        passwords.forEach(users::addUser);
        roles.forEach((user, names) -> names.forEach(role -> users.addRole(user, role)));
        EmbeddedActiveMQ broker = new EmbeddedActiveMQ();
        broker.setConfiguration(config);
        broker.setSecurityManager(new ActiveMQJAASSecurityManager(InVMLoginModule.class.getName(), users));
        broker.start();
        return broker;
    }

    private static ConfigurationImpl configuration(Path dataDir, String host, int port) throws Exception {
        ConfigurationImpl config = new ConfigurationImpl();
        config.setName("stormwatch-embedded");
        config.setPersistenceEnabled(true);
        config.setJournalType(JournalType.NIO);
        config.setJournalDirectory(dataDir.resolve("journal").toString());
        config.setBindingsDirectory(dataDir.resolve("bindings").toString());
        config.setPagingDirectory(dataDir.resolve("paging").toString());
        config.setLargeMessagesDirectory(dataDir.resolve("large-messages").toString());
        config.setNodeManagerLockDirectory(dataDir.toString());
        config.setSecurityEnabled(false);
        config.setJMXManagementEnabled(false);
        config.addAcceptorConfiguration("amqp", "tcp://" + host + ":" + port
                + "?protocols=AMQP;saslMechanisms=PLAIN,ANONYMOUS;amqpCredits=1000;amqpLowCredits=300");

        // A message handed back counted (its command failed) waits before each redelivery, longer every time, so
        // that its ten attempts span about half a minute rather than a few milliseconds (docs/operations.md).
        config.addAddressSetting("#", new AddressSettings()
                .setDeadLetterAddress(SimpleString.of(Addresses.DEAD_LETTERS))
                .setMaxDeliveryAttempts(10)
                .setRedeliveryDelay(500)
                .setRedeliveryMultiplier(2.0)
                .setMaxRedeliveryDelay(5000)
                .setAutoCreateAddresses(true)
                .setAutoCreateQueues(true));
        declare(config, Addresses.COMMANDS, RoutingType.ANYCAST);
        declare(config, Addresses.QUERIES, RoutingType.ANYCAST);
        declare(config, Addresses.DEAD_LETTERS, RoutingType.ANYCAST);
        declare(config, Addresses.EVENTS, RoutingType.MULTICAST);
        declare(config, Addresses.ALERTS, RoutingType.MULTICAST);
        return config;
    }

    private static void declare(ConfigurationImpl config, String address, RoutingType routing) {
        CoreAddressConfiguration addressConfig = new CoreAddressConfiguration().setName(address).addRoutingType(routing);
        if (routing == RoutingType.ANYCAST) {
            addressConfig.addQueueConfiguration(QueueConfiguration.of(address).setRoutingType(routing).setDurable(true));
        }
        config.addAddressConfiguration(addressConfig);
    }
}
