package io.stormwatch.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The domain and the wire contract stay plain Java; the edges (rest, messaging) are never imported inward.
 * Plain Jupiter tests over ArchUnit's core API: its JUnit engine is not run beside Quarkus' test launcher.
 */
class ArchitectureTest {

    private static final String[] FRAMEWORKS = {"io.quarkus..", "io.vertx..", "io.smallrye..", "org.hibernate..",
            "jakarta.persistence..", "jakarta.enterprise..", "jakarta.ws.rs..", "org.eclipse.microprofile.."};

    private static final Path SOURCES = Path.of("src/main/java/io/stormwatch");

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.stormwatch");
    }

    @Test
    void domain_and_api_import_no_framework() {
        noClasses().that().resideInAnyPackage("io.stormwatch.domain..", "io.stormwatch.api..")
                .should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
                .because("decide/evolve and the wire contract must be testable and reusable without a framework")
                .check(classes);
    }

    @Test
    void inner_layers_never_import_the_edges() {
        noClasses().that().resideInAnyPackage("io.stormwatch.domain..", "io.stormwatch.api..",
                        "io.stormwatch.query..", "io.stormwatch.command..", "io.stormwatch.eventstore..",
                        "io.stormwatch.projection..")
                .should().dependOnClassesThat().resideInAnyPackage("io.stormwatch.rest..", "io.stormwatch.amqp..")
                .because("transports are edges: they call inward, never the reverse")
                .check(classes);
    }

    @Test
    void packages_form_no_cycle() {
        slices().matching("io.stormwatch.(*)..").should().beFreeOfCycles()
                .because("each package can then be read, tested and changed from the ones below it up")
                .check(classes);
    }

    @Test
    void nothing_outside_dev_depends_on_dev() {
        noClasses().that().resideOutsideOfPackage("io.stormwatch.dev..")
                .should().dependOnClassesThat().resideInAPackage("io.stormwatch.dev..")
                .because("dev/ holds the embedded servers and the simulator: the service must run without them")
                .check(classes);
    }

    @Test
    void platform_depends_on_no_feature_package() {
        noClasses().that().resideInAPackage("io.stormwatch.platform..")
                .should().dependOnClassesThat(resideInAPackage("io.stormwatch..")
                        .and(DescribedPredicate.not(resideInAPackage("io.stormwatch.platform.."))))
                .because("config, metrics, logs and batching serve every feature and know none of them")
                .check(classes);
    }

    /** The two rules above over the sources, which show a package reached only for its constants too. */
    @Test
    void dev_and_platform_stay_apart_through_constants_too() throws IOException {
        Map<String, Set<String>> uses = sourceUses();
        uses.forEach((from, to) -> assertThat(to).as("packages %s uses", from).doesNotContain("dev"));
        assertThat(uses.getOrDefault("platform", Set.of())).as("feature packages platform uses").isEmpty();
    }

    /**
     * The same rule over the sources: javac copies a constant ({@code static final String}) into the class that
     * uses it, so the bytecode ArchUnit reads does not show a package reached only for its constants.
     */
    @Test
    void packages_form_no_cycle_through_constants_either() throws IOException {
        Map<String, Set<String>> uses = sourceUses();
        assertThat(uses).as("packages found").hasSizeGreaterThan(8);
        for (String start : uses.keySet()) {
            assertThat(cycleFrom(start, start, uses, new ArrayList<>(List.of(start)))).as("a cycle from " + start)
                    .isEmpty();
        }
    }

    /** Each top-level package's sources and the other packages they name (imports and qualified names). */
    private static Map<String, Set<String>> sourceUses() throws IOException {
        Map<String, Set<String>> uses = new TreeMap<>();
        Pattern reference = Pattern.compile("io\\.stormwatch\\.([a-z]+)\\.[A-Z]");
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                String from = SOURCES.relativize(file).getName(0).toString();
                Matcher matcher = reference.matcher(Files.readString(file));
                while (matcher.find()) {
                    if (!matcher.group(1).equals(from)) {
                        uses.computeIfAbsent(from, k -> new TreeSet<>()).add(matcher.group(1));
                    }
                }
            }
        }
        return uses;
    }

    @Test
    void no_class_is_over_250_lines() throws IOException {
        try (Stream<Path> files = Files.walk(SOURCES)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                assertThat(Files.readAllLines(file)).as("%s: split it by role", SOURCES.relativize(file))
                        .hasSizeLessThanOrEqualTo(250);
            }
        }
    }

    /** A path from {@code at} back to {@code start}, depth first; empty when there is none. */
    private static List<String> cycleFrom(String start, String at, Map<String, Set<String>> uses, List<String> path) {
        for (String next : uses.getOrDefault(at, Set.of())) {
            if (next.equals(start)) {
                List<String> cycle = new ArrayList<>(path);
                cycle.add(next);
                return cycle;
            }
            if (!path.contains(next) && next.compareTo(start) > 0) {
                path.add(next);
                List<String> found = cycleFrom(start, next, uses, path);
                if (!found.isEmpty()) {
                    return found;
                }
                path.removeLast();
            }
        }
        return List.of();
    }
}
