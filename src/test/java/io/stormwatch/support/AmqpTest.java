package io.stormwatch.support;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import io.vertx.mutiny.core.Vertx;

/** For @QuarkusTests that talk to the service as a station does: a fresh AMQP client per test, and SQL access. */
public abstract class AmqpTest {

    @Inject
    protected Vertx vertx;

    @Inject
    protected Sql sql;

    protected AmqpClient amqp;

    @BeforeEach
    void connectAmqp() {
        amqp = new AmqpClient(vertx);
    }

    @AfterEach
    void closeAmqp() {
        amqp.close();
    }
}
