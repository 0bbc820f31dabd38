package io.stormwatch.eventstore;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.stormwatch.api.Event;
import io.stormwatch.api.Event.ObservationRecorded;
import io.stormwatch.api.Observation;

/** Event payloads as stored (jsonb) and published: the record's fields, the type kept beside them. */
@Singleton
public class EventCodec {

    private final ObjectMapper mapper;
    /** The same mapper, with a reader for the instants this service writes (every read of the store uses it). */
    private final ObjectMapper storedMapper;
    private final Map<String, Function<String, Event>> readers;

    public EventCodec(ObjectMapper mapper) {
        this.mapper = mapper;
        this.storedMapper = mapper.copy().registerModule(new SimpleModule("stored-instants")
                .addDeserializer(Instant.class, new StoredInstantDeserializer()));
        Map<String, Function<String, Event>> byType = new HashMap<>();
        for (Class<?> type : Event.class.getPermittedSubclasses()) {
            byType.put(type.getSimpleName(), json -> (Event) read(storedMapper, json, type));
        }
        // ObservationRecorded's payload is the observation's own fields (its component is unwrapped).
        byType.put(ObservationRecorded.class.getSimpleName(), json -> new ObservationRecorded(read(storedMapper, json,
                Observation.class)));
        this.readers = Map.copyOf(byType);
    }

    public String toJson(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    public Event fromJson(String type, String payload) {
        Function<String, Event> reader = readers.get(type);
        if (reader == null) {
            throw new IllegalArgumentException("unknown event type " + type);
        }
        return reader.apply(payload);
    }

    /** The stored event's {@link Event}: the one it was appended from when it carries it, else its payload's. */
    public Event decode(RecordedEvent stored) {
        return stored.decoded() != null ? stored.decoded() : fromJson(stored.type(), stored.payload());
    }

    public <T> T read(String json, Class<T> type) {
        return read(mapper, json, type);
    }

    private static <T> T read(ObjectMapper mapper, String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot decode " + type.getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
