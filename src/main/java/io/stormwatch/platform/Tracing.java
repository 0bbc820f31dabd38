package io.stormwatch.platform;

import java.util.HashMap;
import java.util.Map;

import jakarta.inject.Singleton;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * The W3C trace context across the service's own AMQP links, which no instrumentation covers: a command's
 * {@code traceparent} (AMQP application property or HTTP header) becomes the parent of a span for its receipt; that
 * span's context is stored with the events the command caused, sent with them to weather.events, and is the parent
 * of the span that evaluates them, whose context goes with the alert events to weather.alerts. So one trace runs
 * command, event, alert.
 * <p>
 * With the OpenTelemetry SDK off (the default, until an OTLP endpoint is configured) the tracer records nothing and
 * each step passes its parent's context on unchanged: the trace id still flows.
 */
@Singleton
public class Tracing {

    /** The W3C header, as an AMQP application property and an HTTP header. */
    public static final String TRACEPARENT = "traceparent";

    private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();
    private static final TextMapGetter<Map<String, String>> GETTER = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
            return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
            return carrier == null ? null : carrier.get(key);
        }
    };

    private final Tracer tracer;

    public Tracing(Tracer tracer) {
        this.tracer = tracer;
    }

    /**
     * Records a step caused by {@code parent} (a traceparent, or null for a step without one, which starts a trace
     * when the SDK is on) and gives the step's own traceparent, null when there is no trace.
     */
    public String step(String name, SpanKind kind, String parent) {
        Context parentContext = parent == null ? Context.root()
                : W3C.extract(Context.root(), Map.of(TRACEPARENT, parent), GETTER);
        return record(name, kind, parentContext);
    }

    /** A step of the current request: a child of its server span when there is one, else of {@code header}. */
    public String stepOfRequest(String name, String header) {
        Context current = Context.current();
        return Span.fromContext(current).getSpanContext().isValid() ? record(name, SpanKind.INTERNAL, current)
                : step(name, SpanKind.SERVER, header);
    }

    private String record(String name, SpanKind kind, Context parent) {
        Span span = tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan();
        try {
            Map<String, String> carrier = new HashMap<>(2);
            W3C.inject(parent.with(span), carrier, Map::put);
            return carrier.get(TRACEPARENT);
        } finally {
            span.end();
        }
    }
}
