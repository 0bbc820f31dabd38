package io.stormwatch.rest;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.stormwatch.platform.StormwatchConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Throttles password guessing: a client address whose requests with credentials were answered 401 more than
 * {@code stormwatch.security.max-failed-logins} times within the window gets 429 for any request with credentials
 * until its failures fall out of the window. Requests without credentials (the open reads) are never throttled.
 */
@Singleton
public class LoginThrottle {

    private static final int MAX_CLIENTS = 10_000;

    private final int maxFailures;
    private final long windowNanos;
    private final Map<String, Deque<Long>> failures = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
            return size() > MAX_CLIENTS;
        }
    };

    public LoginThrottle(StormwatchConfig config) {
        this.maxFailures = config.security().maxFailedLogins();
        this.windowNanos = config.security().failedLoginWindow().toNanos();
    }

    /** First on the router, before authentication: a throttled client's credentials are not even checked. */
    void install(@Observes Router router) {
        router.route().order(Integer.MIN_VALUE).handler(this::filter);
    }

    private void filter(RoutingContext context) {
        if (context.request().getHeader(HttpHeaders.AUTHORIZATION) == null) {
            context.next();
            return;
        }
        String client = context.request().remoteAddress() == null ? "unknown"
                : context.request().remoteAddress().hostAddress();
        if (throttled(client)) {
            context.response().setStatusCode(429).putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                    .putHeader("Retry-After", Long.toString(Math.max(1, Duration.ofNanos(windowNanos).toSeconds())))
                    .end("{\"error\":\"too many failed logins from this address; retry later\"}");
            return;
        }
        context.addHeadersEndHandler(ignored -> {
            if (context.response().getStatusCode() == 401) {
                failed(client);
            }
        });
        context.next();
    }

    private synchronized boolean throttled(String client) {
        Deque<Long> times = failures.get(client);
        if (times == null) {
            return false;
        }
        long now = System.nanoTime();
        while (!times.isEmpty() && now - times.peekFirst() > windowNanos) {
            times.pollFirst();
        }
        if (times.isEmpty()) {
            failures.remove(client);
            return false;
        }
        return times.size() >= maxFailures;
    }

    private synchronized void failed(String client) {
        failures.computeIfAbsent(client, c -> new ArrayDeque<>()).addLast(System.nanoTime());
    }
}
