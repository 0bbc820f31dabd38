package io.stormwatch.projection;

import io.stormwatch.projection.ProjectionRebuilds.Status;

/** One projection of a rebuild run: its handler, its claim, and the schema its tables are rebuilt in. */
record RebuildPart(EventHandler handler, Status claim, String schema) {

    RebuildPart(EventHandler handler, Status claim) {
        this(handler, claim, "rebuild_" + handler.name().replace('-', '_'));
    }

    String name() {
        return handler.name();
    }
}
