package io.stormwatch.query;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.stormwatch.api.Query;
import io.stormwatch.platform.JsonErrors;

/** JSON text to a {@link Query}, or an INVALID QueryException naming what is wrong; the same for every transport. */
@Singleton
public class QueryDecoder {

    private final ObjectMapper mapper;

    public QueryDecoder(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public Query decode(String json) {
        JsonNode tree;
        try {
            tree = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw QueryException.invalid("malformed JSON: " + e.getOriginalMessage());
        }
        if (tree == null || !tree.isObject()) {
            throw QueryException.invalid("a query must be a JSON object");
        }
        JsonNode type = tree.get("type");
        String types = String.join(", ", Query.typeNames());
        if (type == null || !type.isTextual()) {
            throw QueryException.invalid("type is required (one of " + types + ")");
        }
        Class<? extends Query> target = null;
        for (Class<?> candidate : Query.class.getPermittedSubclasses()) {
            if (candidate.getSimpleName().equals(type.asText())) {
                target = candidate.asSubclass(Query.class);
            }
        }
        if (target == null) {
            throw QueryException.invalid("unknown query type '" + type.asText() + "' (expected one of " + types + ")");
        }
        try {
            return mapper.treeToValue(tree, target);
        } catch (MismatchedInputException e) {
            throw QueryException.invalid(JsonErrors.describe(e));
        } catch (JsonProcessingException e) {
            throw QueryException.invalid("invalid query: " + e.getOriginalMessage());
        }
    }
}
