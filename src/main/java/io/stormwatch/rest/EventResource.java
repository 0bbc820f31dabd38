package io.stormwatch.rest;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.stormwatch.eventstore.EventFilter;
import io.stormwatch.eventstore.RecordedEvent;
import io.stormwatch.query.EventQueries;
import io.vertx.core.http.HttpServerRequest;

/** The event log over HTTP: pages for catch-up, and a Server-Sent Events stream for live subscribers. */
@Path("/api/events")
public class EventResource {

    private static final Logger LOG = Logger.getLogger(EventResource.class);

    private final EventQueries queries;
    private final ObjectMapper mapper;
    private final StreamLimits limits;

    public EventResource(EventQueries queries, ObjectMapper mapper, StreamLimits limits) {
        this.queries = queries;
        this.mapper = mapper;
        this.limits = limits;
    }

    /** The events after position {@code after}, in position order, optionally of some types or of one stream. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<List<RecordedEvent>> after(@QueryParam("after") String after, @QueryParam("limit") String limit,
            @QueryParam("type") List<String> types, @QueryParam("stream") String stream) {
        return queries.after(Params.number("after", after, 0, 0, Long.MAX_VALUE), filter(types, stream),
                (int) Params.number("limit", limit, 100, 1, 1000));
    }

    /**
     * History after {@code after} (or after {@code Last-Event-ID} when a client reconnects), then live events. Each
     * SSE event's id is the event's position and its name the event type; its data is the same JSON as a page entry.
     */
    @GET
    @Path("/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public Multi<OutboundSseEvent> stream(@QueryParam("after") String after, @QueryParam("type") List<String> types,
            @QueryParam("stream") String stream, @HeaderParam("Last-Event-ID") String lastEventId, @Context Sse sse,
            @Context HttpServerRequest request) {
        long from = lastEventId != null && !lastEventId.isBlank()
                ? Params.number("Last-Event-ID", lastEventId, 0, 0, Long.MAX_VALUE)
                : Params.number("after", after, 0, 0, Long.MAX_VALUE);
        EventFilter filter = filter(types, stream);
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        String refused = limits.open(client);
        if (refused != null) {
            throw new WebApplicationException(Response.status(429).type(MediaType.APPLICATION_JSON)
                    .header(HttpHeaders.RETRY_AFTER, "5").entity(new ApiError(refused)).build());
        }
        return queries.follow(from, filter).map(event -> sse.newEventBuilder()
                .id(Long.toString(event.position()))
                .name(event.type())
                .data(json(event))
                .build())
                // A client leaving is the normal end of a tail (Quarkus' ERROR for a write it interrupts is filtered:
                // infra/FrameworkNoiseFilter).
                .onCancellation().invoke(() -> LOG.debugf("event stream from %d closed by its client", from))
                .onTermination().invoke(() -> limits.close(client));
    }

    private static EventFilter filter(List<String> types, String stream) {
        return new EventFilter(Params.eventTypes("type", types), Params.streamId("stream", stream));
    }

    private String json(RecordedEvent event) {
        try {
            return mapper.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event " + event.position() + " cannot be written", e);
        }
    }
}
