package org.lepistream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.lepistream.review.ReviewConsole;
import org.lepistream.schemas.Topics;
import org.lepistream.stack.LocalStack;
import org.lepistream.streams.IdentificationService;
import org.lepistream.tools.ToolsCli;
import org.lepistream.trainer.TrainerService;
import org.lepistream.decision.taxonomy.Taxonomy;
import org.lepistream.vision.bundle.Identifier;

/**
 * The dependency rules of docs/ARCHITECTURE.md, checked on every module's main classes (this module sees them all).
 * Maven already keeps module dependencies acyclic; these rules say which way they may point.
 */
class ArchitectureTest {

    private static final String SCHEMAS = "org.lepistream.schemas..";
    private static final String STACK = "org.lepistream.stack..";
    private static final String DECISION = "org.lepistream.decision..";
    private static final String VISION = "org.lepistream.vision..";
    private static final String SERVICE = "org.lepistream.streams..";
    private static final String TRAINER = "org.lepistream.trainer..";
    private static final String CONSOLE = "org.lepistream.review..";
    private static final String TOOLS = "org.lepistream.tools..";
    private static final String LOAD_TESTS = "org.lepistream.loadtest..";

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        // One class per module locates its jar (or classes folder): scanning the whole class path for our packages
        // would open every library jar (PyTorch's alone is 111 MB).
        Set<Location> modules = Stream.of(Topics.class, LocalStack.class, Taxonomy.class, Identifier.class,
                IdentificationService.class, TrainerService.class, ReviewConsole.class, ToolsCli.class)
                .map(c -> Location.of(c.getProtectionDomain().getCodeSource().getLocation()))
                .collect(Collectors.toSet());
        main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importLocations(modules);
    }

    @Test
    void everyModuleIsRead() {
        for (String p : new String[] {"schemas", "stack", "decision", "vision", "streams", "trainer", "review", "tools"}) {
            assertTrue(main.containPackage("org.lepistream." + p), "no classes read from " + p);
        }
    }

    @Test
    void theContractsDependOnNothingOfOurs() {
        check(noClasses().that().resideInAPackage(SCHEMAS).should().dependOnClassesThat()
                .resideInAnyPackage(STACK, DECISION, VISION, SERVICE, TRAINER, CONSOLE, TOOLS, LOAD_TESTS));
    }

    @Test
    void theDecisionCoreNeedsNoDeepLearningRuntimeNoKafkaAndNothingOfOurs() {
        check(noClasses().that().resideInAPackage(DECISION).should().dependOnClassesThat()
                .resideInAnyPackage("ai.djl..", "org.apache.kafka..", SCHEMAS, STACK, VISION, SERVICE, TRAINER, CONSOLE,
                        TOOLS, LOAD_TESTS));
    }

    @Test
    void visionKnowsNothingOfKafkaNorOfTheServices() {
        check(noClasses().that().resideInAPackage(VISION).should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", SCHEMAS, STACK, SERVICE, TRAINER, CONSOLE, TOOLS, LOAD_TESTS));
    }

    @Test
    void noServiceImportsAnotherService() {
        check(noClasses().that().resideInAPackage(SERVICE).should().dependOnClassesThat()
                .resideInAnyPackage(TRAINER, CONSOLE, TOOLS, LOAD_TESTS));
        check(noClasses().that().resideInAPackage(TRAINER).should().dependOnClassesThat()
                .resideInAnyPackage(SERVICE, CONSOLE, TOOLS, LOAD_TESTS));
        check(noClasses().that().resideInAPackage(CONSOLE).should().dependOnClassesThat()
                .resideInAnyPackage(SERVICE, TRAINER, TOOLS, LOAD_TESTS));
    }

    @Test
    void onlyTheToolsStartALocalStack() {
        check(noClasses().that().resideOutsideOfPackages(STACK, TOOLS, LOAD_TESTS).should().dependOnClassesThat()
                .resideInAPackage(STACK));
    }

    @Test
    void theReviewConsoleRunsWithoutTheDeepLearningRuntime() {
        check(noClasses().that().resideInAPackage(CONSOLE).should().dependOnClassesThat()
                .resideInAnyPackage("ai.djl..", VISION));
    }

    private static void check(ArchRule rule) {
        rule.because("docs/ARCHITECTURE.md, Modules").check(main);
    }
}
