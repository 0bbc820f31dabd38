package io.stormwatch.platform;

import java.time.Duration;

import io.smallrye.config.WithDefault;

/** Settings under stormwatch.projection. */
public interface ProjectionConfig {
    /**
     * Events applied per transaction when a projector catches up. A view's rows are written once per station per
     * page (its latest values, its hour and day buckets), so under load a larger page writes fewer rows.
     */
    @WithDefault("2000")
    int pageSize();

    /** Also the fallback of the projector's {@code @Scheduled} expression, which reads the key directly. */
    String DEFAULT_POLL_INTERVAL = "1s";

    /** Poll interval that picks up events appended by other replicas. */
    @WithDefault(DEFAULT_POLL_INTERVAL)
    Duration pollInterval();

    /**
     * Least time between the starts of two runs of a handler: appends that come closer together are applied in
     * one transaction (0 runs after every append).
     */
    @WithDefault("20ms")
    Duration linger();

    /**
     * Positions of the log (events of any type) applied per transaction by a rebuild: larger than live pages,
     * nothing waits on its commits.
     */
    @WithDefault("5000")
    int rebuildPageSize();

    /**
     * Events this service appended last, kept in memory for its own handlers, which then neither read them back
     * nor parse them again (a batch of 100-observation commands is thousands of events). The publication of
     * weather.events runs about a second behind the appends at full load: with 10,000 it fell out of the window
     * and read every page back from the store.
     */
    @WithDefault("30000")
    int recentEvents();
}
