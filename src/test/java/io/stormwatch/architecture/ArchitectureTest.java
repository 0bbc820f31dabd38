package io.stormwatch.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

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
                .should().dependOnClassesThat().resideInAnyPackage("io.stormwatch.rest..", "io.stormwatch.messaging..")
                .because("transports are edges: they call inward, never the reverse")
                .check(classes);
    }
}
