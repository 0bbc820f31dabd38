package io.stormwatch.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The domain and the wire contract stay plain Java; the edges (rest, messaging) are never imported inward. */
@AnalyzeClasses(packages = "io.stormwatch", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String[] FRAMEWORKS = {"io.quarkus..", "io.vertx..", "io.smallrye..", "org.hibernate..",
            "jakarta.persistence..", "jakarta.enterprise..", "jakarta.ws.rs..", "org.eclipse.microprofile.."};

    @ArchTest
    static final ArchRule domain_is_pure = noClasses().that().resideInAnyPackage("io.stormwatch.domain..",
            "io.stormwatch.api..").should().dependOnClassesThat().resideInAnyPackage(FRAMEWORKS)
            .because("decide/evolve and the wire contract must be testable and reusable without a framework");

    @ArchTest
    static final ArchRule domain_and_query_never_import_edges = noClasses().that().resideInAnyPackage(
            "io.stormwatch.domain..", "io.stormwatch.api..", "io.stormwatch.query..", "io.stormwatch.command..",
            "io.stormwatch.eventstore..", "io.stormwatch.projection..")
            .should().dependOnClassesThat().resideInAnyPackage("io.stormwatch.rest..", "io.stormwatch.messaging..")
            .because("transports are edges: they call inward, never the reverse");
}
