package io.stormwatch.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.stormwatch.api.Command;
import io.stormwatch.api.Event;
import io.stormwatch.api.Query;

/**
 * docs/asyncapi.yaml against what runs: every link configured in application.properties (a SmallRye channel's
 * address, or one of the service's own links) has an operation on the same address, and every operation is such
 * a link. Every command and event type has its message, and every $ref resolves.
 */
class AsyncApiDocumentTest {

    private static final Pattern ADDRESS_KEY = Pattern.compile(
            "mp\\.messaging\\.(incoming|outgoing)\\.([^.]+)\\.address|stormwatch\\..*address");

    private static JsonNode doc;
    private static Properties properties;

    @BeforeAll
    static void read() throws IOException {
        doc = new ObjectMapper(new YAMLFactory()).readTree(Path.of("docs", "asyncapi.yaml").toFile());
        properties = new Properties();
        try (InputStream in = Files.newInputStream(Path.of("src", "main", "resources", "application.properties"))) {
            properties.load(in);
        }
    }

    @Test
    void it_is_asyncapi_3() {
        assertThat(doc.path("asyncapi").asText()).startsWith("3.");
    }

    @Test
    void every_configured_link_is_an_operation_on_its_address_and_the_reverse() {
        Map<String, String> configured = new HashMap<>();
        for (String key : properties.stringPropertyNames()) {
            // A channel whose address is another setting (${stormwatch.commands.address}) is documented by that one.
            if (ADDRESS_KEY.matcher(key).matches() && !properties.getProperty(key).startsWith("${")) {
                configured.put(key, properties.getProperty(key));
            }
        }
        Map<String, String> documented = new HashMap<>();
        doc.path("operations").properties().forEach(operation -> {
            JsonNode op = operation.getValue();
            String key = op.path("x-config-key").asText(null);
            assertThat(key).as("operation %s names its x-config-key", operation.getKey()).isNotNull();
            documented.put(key, resolve(op.path("channel").path("$ref").asText()).path("address").asText());

            Matcher channel = ADDRESS_KEY.matcher(key);
            if (channel.matches() && channel.group(1) != null) {
                assertThat(op.path("action").asText()).as("action of %s", operation.getKey())
                        .isEqualTo(channel.group(1).equals("incoming") ? "receive" : "send");
            }
        });
        assertThat(configured).as("links in application.properties (left) vs operations in docs/asyncapi.yaml")
                .containsExactlyInAnyOrderEntriesOf(documented);
    }

    @Test
    void every_command_event_and_query_type_has_its_message() {
        assertThat(names(doc.path("channels").path("commands").path("messages")))
                .containsExactlyInAnyOrderElementsOf(Command.typeNames());
        assertThat(names(doc.path("channels").path("events").path("messages")))
                .containsExactlyInAnyOrderElementsOf(Event.typeNames());
        assertThat(names(doc.path("channels").path("queries").path("messages")))
                .containsExactlyInAnyOrderElementsOf(Query.typeNames());
    }

    @Test
    void every_reference_resolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        refs.forEach(ref -> assertThat(resolve(ref).isMissingNode()).as("%s resolves", ref).isFalse());
    }

    private static List<String> names(JsonNode messages) {
        List<String> names = new ArrayList<>();
        messages.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static void collectRefs(JsonNode node, List<String> refs) {
        if (node.isObject()) {
            node.properties().forEach(field -> {
                if (field.getKey().equals("$ref")) {
                    refs.add(field.getValue().asText());
                } else {
                    collectRefs(field.getValue(), refs);
                }
            });
        } else if (node.isArray()) {
            node.forEach(child -> collectRefs(child, refs));
        }
    }

    private static JsonNode resolve(String ref) {
        assertThat(ref).startsWith("#/");
        return doc.at(ref.substring(1));
    }
}
