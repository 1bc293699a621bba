package org.lepistream.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.lang.ArchRule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    static ArchRule contractsRule() {
        return noClasses().that().resideInAPackage(SCHEMAS).should().dependOnClassesThat()
                .resideInAnyPackage(STACK, DECISION, VISION, SERVICE, TRAINER, CONSOLE, TOOLS, LOAD_TESTS);
    }

    static ArchRule decisionRule() {
        return noClasses().that().resideInAPackage(DECISION).should().dependOnClassesThat()
                .resideInAnyPackage("ai.djl..", "org.apache.kafka..", SCHEMAS, STACK, VISION, SERVICE, TRAINER, CONSOLE,
                        TOOLS, LOAD_TESTS);
    }

    static ArchRule visionRule() {
        return noClasses().that().resideInAPackage(VISION).should().dependOnClassesThat()
                .resideInAnyPackage("org.apache.kafka..", SCHEMAS, STACK, SERVICE, TRAINER, CONSOLE, TOOLS, LOAD_TESTS);
    }

    static List<ArchRule> serviceRules() {
        return List.of(
                noClasses().that().resideInAPackage(SERVICE).should().dependOnClassesThat()
                        .resideInAnyPackage(TRAINER, CONSOLE, TOOLS, LOAD_TESTS),
                noClasses().that().resideInAPackage(TRAINER).should().dependOnClassesThat()
                        .resideInAnyPackage(SERVICE, CONSOLE, TOOLS, LOAD_TESTS),
                noClasses().that().resideInAPackage(CONSOLE).should().dependOnClassesThat()
                        .resideInAnyPackage(SERVICE, TRAINER, TOOLS, LOAD_TESTS));
    }

    static ArchRule stackRule() {
        return noClasses().that().resideOutsideOfPackages(STACK, TOOLS, LOAD_TESTS).should().dependOnClassesThat()
                .resideInAPackage(STACK);
    }

    static ArchRule consoleRule() {
        return noClasses().that().resideInAPackage(CONSOLE).should().dependOnClassesThat()
                .resideInAnyPackage("ai.djl..", VISION);
    }

    @Test
    void theContractsDependOnNothingOfOurs() {
        check(contractsRule());
    }

    @Test
    void theDecisionCoreNeedsNoDeepLearningRuntimeNoKafkaAndNothingOfOurs() {
        check(decisionRule());
    }

    @Test
    void visionKnowsNothingOfKafkaNorOfTheServices() {
        check(visionRule());
    }

    @Test
    void noServiceImportsAnotherService() {
        serviceRules().forEach(ArchitectureTest::check);
    }

    @Test
    void onlyTheToolsStartALocalStack() {
        check(stackRule());
    }

    @Test
    void theReviewConsoleRunsWithoutTheDeepLearningRuntime() {
        check(consoleRule());
    }

    /**
     * Each rule, run on test-only classes that break it on purpose (package {@code ..violation..}, one per rule):
     * a rule that could not fail would prove nothing above.
     */
    @Test
    void everyRuleFailsOnADeliberateViolation() {
        JavaClasses violations = new ClassFileImporter().importPackages("org.lepistream.schemas.violation",
                "org.lepistream.decision.violation", "org.lepistream.vision.violation",
                "org.lepistream.streams.violation", "org.lepistream.trainer.violation",
                "org.lepistream.review.violation");
        Map<String, ArchRule> rules = new LinkedHashMap<>();
        rules.put("SchemasUseTheDecisionCore", contractsRule());
        rules.put("DecisionUsesDjl", decisionRule());
        rules.put("VisionUsesKafka", visionRule());
        List<ArchRule> services = serviceRules();
        rules.put("ServiceUsesTheTrainer", services.get(0));
        rules.put("TrainerUsesTheService", services.get(1));
        rules.put("ConsoleUsesTheTrainer", services.get(2));
        rules.put("TrainerStartsALocalStack", stackRule());
        rules.put("ConsoleUsesVision", consoleRule());
        rules.forEach((violator, rule) -> {
            AssertionError e = assertThrows(AssertionError.class, () -> rule.check(violations),
                    "rule did not catch " + violator + ": " + rule.getDescription());
            assertTrue(e.getMessage().contains(violator), violator + " not named in: " + e.getMessage());
        });
        // And the rules pass on the real modules (the tests above): each failure here is the fixture's alone.
        assertTrue(violations.size() >= rules.size(), "fixtures not found: " + violations.size());
    }

    private static void check(ArchRule rule) {
        rule.because("docs/ARCHITECTURE.md, Modules").check(main);
    }
}
