package io.stormwatch.amqp;

import java.util.Optional;

import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.vertx.amqp.AmqpClientOptions;
import io.vertx.mutiny.amqp.AmqpClient;
import io.vertx.mutiny.core.Vertx;

/**
 * AMQP clients for the links Stormwatch manages itself (commands in, replies out), configured by the same
 * {@code amqp-*} keys as the SmallRye connector, so there is one place to point the service at a broker.
 */
@Singleton
public class AmqpClients {

    private final Vertx vertx;
    private final AmqpClientOptions options;

    public AmqpClients(Vertx vertx, @ConfigProperty(name = "amqp-host") String host,
            @ConfigProperty(name = "amqp-port") int port,
            @ConfigProperty(name = "amqp-username") Optional<String> username,
            @ConfigProperty(name = "amqp-password") Optional<String> password,
            @ConfigProperty(name = "amqp-use-ssl", defaultValue = "false") boolean ssl) {
        this.vertx = vertx;
        this.options = new AmqpClientOptions().setHost(host).setPort(port).setSsl(ssl);
        username.ifPresent(options::setUsername);
        password.ifPresent(options::setPassword);
    }

    public AmqpClient create(String containerId) {
        return AmqpClient.create(vertx, new AmqpClientOptions(options).setContainerId(containerId));
    }

    public String endpoint() {
        return options.getHost() + ":" + options.getPort();
    }
}
