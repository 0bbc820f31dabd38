package io.stormwatch.platform;

import java.util.function.Supplier;

import jakarta.inject.Singleton;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;

/**
 * Runs Hibernate Reactive work on a fresh, safe duplicated Vert.x context, whatever thread asks for it (a timer,
 * the event bus, the AMQP connector): each run gets its own session and never shares one with another.
 */
@Singleton
public class SafeContexts {

    private final Vertx vertx;

    public SafeContexts(Vertx vertx) {
        this.vertx = vertx;
    }

    public <T> Uni<T> run(Supplier<Uni<T>> work) {
        return Uni.createFrom().emitter(emitter -> {
            Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
            VertxContextSafetyToggle.setContextSafe(context, true);
            context.runOnContext(ignored -> work.get().subscribe().with(emitter::complete, emitter::fail));
        });
    }
}
