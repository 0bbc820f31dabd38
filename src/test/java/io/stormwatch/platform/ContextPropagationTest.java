package io.stormwatch.platform;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.context.SmallRyeContextManager;
import io.smallrye.context.SmallRyeContextManagerProvider;
import io.smallrye.context.impl.ThreadContextProviderPlan;
import io.smallrye.mutiny.infrastructure.Infrastructure;

/**
 * Mutiny's callbacks are not wrapped to capture and restore thread contexts (application.properties, "context
 * propagation"): every context type the running service has is left unchanged. A new extension that brings a type
 * not named there would have it cleared around every callback, and this fails.
 */
@QuarkusTest
class ContextPropagationTest {

    @Test
    void every_context_type_is_left_unchanged() {
        SmallRyeContextManager manager = SmallRyeContextManagerProvider.getManager();
        ThreadContextProviderPlan plan = manager.defaultThreadContext().getPlan();

        assertThat(manager.getAllProviderTypes()).contains("CDI");
        assertThat(plan.propagatedProviders).isEmpty();
        assertThat(plan.clearedProviders).isEmpty();
        assertThat(plan.unchangedProviders).hasSize(manager.getAllProviderTypes().length);
    }

    @Test
    void a_mutiny_callback_runs_as_written() {
        Function<String, Integer> callback = String::length;

        assertThat(Infrastructure.decorate(callback)).isSameAs(callback);
    }
}
