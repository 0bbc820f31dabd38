package io.stormwatch.support;

import io.quarkus.test.common.QuarkusTestResource;

/** Registers {@link BackingServices} for every @QuarkusTest, so they all share one application and one set of servers. */
@QuarkusTestResource(BackingServices.class)
public final class GlobalTestResources {

    private GlobalTestResources() {
    }
}
