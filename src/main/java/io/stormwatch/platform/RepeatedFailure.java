package io.stormwatch.platform;

import org.jboss.logging.Logger;

/**
 * The log of work retried on a timer: a failure is a WARN when it starts or changes, a DEBUG while the same one
 * repeats, and an INFO when the work succeeds again. An outage is then a handful of lines, not one per retry.
 */
public final class RepeatedFailure {

    private final Logger log;
    private final String what;
    private volatile String last;

    public RepeatedFailure(Class<?> category, String what) {
        this.log = Logger.getLogger(category);
        this.what = what;
    }

    public void failed(Throwable failure) {
        String text = failure.toString();
        if (text.equals(last)) {
            log.debugf("%s failed again: %s", what, text);
        } else {
            log.warnf("%s failed, retrying until it succeeds (the same failure again is logged at DEBUG): %s", what,
                    text);
        }
        last = text;
    }

    public void succeeded() {
        if (last != null) {
            log.infof("%s works again", what);
            last = null;
        }
    }
}
