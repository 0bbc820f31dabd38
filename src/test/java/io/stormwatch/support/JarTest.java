package io.stormwatch.support;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import io.vertx.mutiny.core.Vertx;

/**
 * For tests of the packaged jar run as processes of their own (ServiceProcess): the tests' servers, started once per
 * test run, and a Vert.x for the test's AMQP clients.
 */
public abstract class JarTest {

    protected static Vertx vertx;
    protected static Map<String, String> servers;

    @BeforeAll
    static void serversAndVertx() {
        servers = new BackingServices().start();
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void closeVertx() {
        vertx.closeAndAwait();
    }
}
