package io.stormwatch.dev;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.Callable;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.StandardMBean;

import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * The embedded broker's stop and start, for fault tests, as an MBean of the platform server: a test profile restarts
 * the application in a new class loader, which must still be able to stop and start the broker that the first one
 * started (a static field is not shared between the two, and a system property that is not a string breaks
 * libraries that read them all).
 */
public final class BrokerControl {

    private static final String NAME = "io.stormwatch:type=EmbeddedBroker";

    /** The MBean's operations. */
    public interface BrokerControlMBean {
        void stop() throws Exception;

        void start() throws Exception;
    }

    private BrokerControl() {
    }

    /** Stops the embedded broker (its data stays). */
    public static synchronized void stop() {
        invoke("stop");
    }

    /** Starts again the broker {@link #stop()} stopped, on the same port and data. */
    public static synchronized void start() {
        invoke("start");
    }

    /** Stops the embedded broker, and starts it again on the same port and data after {@code pause}. */
    public static synchronized void restart(Duration pause) {
        stop();
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        start();
    }

    /**
     * The broker is stopped and started with the context class loader it was first started with: Artemis finds its
     * protocols with a ServiceLoader on the context class loader, and a caller from an application restarted in a
     * new class loader (another test profile) would give it protocol classes that are not the broker's.
     */
    static void register(EmbeddedActiveMQ broker) {
        ClassLoader startedWith = Thread.currentThread().getContextClassLoader();
        BrokerControlMBean control = new BrokerControlMBean() {
            @Override
            public void stop() throws Exception {
                withContextClassLoader(startedWith, broker::stop);
            }

            @Override
            public void start() throws Exception {
                withContextClassLoader(startedWith, broker::start);
            }
        };
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(new StandardMBean(control, BrokerControlMBean.class), name);
        } catch (JMException e) {
            throw new IllegalStateException("could not register the embedded broker's controls", e);
        }
    }

    private static void withContextClassLoader(ClassLoader loader, Callable<?> operation) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader caller = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            operation.call();
        } finally {
            thread.setContextClassLoader(caller);
        }
    }

    private static void invoke(String operation) {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        try {
            ObjectName name = new ObjectName(NAME);
            if (!server.isRegistered(name)) {
                throw new IllegalStateException("no embedded broker was started in this JVM");
            }
            server.invoke(name, operation, null, null);
        } catch (JMException e) {
            throw new IllegalStateException("embedded broker did not " + operation, e);
        }
    }
}
