package dev.skiff.orchestrator;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.skiff.orchestrator.app.CronScheduler;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The orchestrator's layers (STYLE.md, "What this means for Skiff" 2): the core never reaches out to adapters or frameworks. */
class OrchestratorArchitectureTest {

    private static final String ROOT = "dev.skiff.orchestrator";
    private static final String ADAPTER = ROOT + ".adapter..";

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("-tests.jar")) // the modules' test fixtures
                .importPackages(ROOT);
    }

    @Test
    void shouldImportMainClassesOnlyWhenTheRulesAreChecked() {
        // Given / When the import above / Then the rules below see every module's classes and none of their tests
        assertThat(classes.contain(CronScheduler.class)).isTrue();
        assertThat(classes.contain(dev.skiff.orchestrator.adapter.embedded.EmbeddedRunEngine.class)).isTrue();
        assertThat(classes.contain(dev.skiff.orchestrator.adapter.sfn.StepFunctionsRunEngine.class)).isTrue();
        assertThat(classes.contain(dev.skiff.orchestrator.config.SkiffConfig.class)).isTrue();
        assertThat(classes.contain(TestSpecs.class)).isFalse();
    }

    @Test
    void shouldKeepDomainAndPortsFreeOfAdaptersAndFrameworksWhenMainClassesAreImported() {
        // Given the main classes / When / Then
        noClasses().that().resideInAnyPackage(ROOT + ".domain..", ROOT + ".port..")
                .should().dependOnClassesThat().resideInAnyPackage(ADAPTER, "io.quarkus..", "software.amazon..", "jakarta..")
                .because("domain and port are the core every adapter plugs into")
                .check(classes);
    }

    @Test
    void shouldKeepTheApplicationLayerFreeOfAdaptersQuarkusAndRestWhenMainClassesAreImported() {
        // Given the main classes / When / Then
        noClasses().that().resideInAPackage(ROOT + ".app..")
                .should().dependOnClassesThat().resideInAnyPackage(ADAPTER, "io.quarkus..", "jakarta.ws..")
                .because("the application services are built with plain constructors and reached through ports")
                .check(classes);
    }

    @Test
    void shouldKeepTheEmbeddedEngineFreeOfTheLocalAdaptersWhenMainClassesAreImported() {
        // Given the main classes / When / Then
        noClasses().that().resideInAPackage(ROOT + ".adapter.embedded..")
                .should().dependOnClassesThat().resideInAPackage(ROOT + ".adapter.local..")
                .because("the engine reaches tasks only through the TaskLauncher port")
                .check(classes);
    }

    @Test
    void shouldKeepAdaptersIndependentOfEachOtherWhenMainClassesAreImported() {
        // Given the main classes / When / Then
        slices().matching(ROOT + ".adapter.(*)..")
                .should().notDependOnEachOther()
                .because("adapters meet only through ports; config/AdapterProducers wires them")
                .check(classes);
    }

    @Test
    void shouldKeepTheStepFunctionsGlueOffTheFargateAdapterWhenMainClassesAreImported() {
        // Given the main classes / When / Then
        noClasses().that().resideInAPackage(ROOT + ".aws..")
                .should().dependOnClassesThat().resideInAnyPackage(ROOT + ".adapter.ecs..", "software.amazon.awssdk.services.ecs..")
                .because("the Step Functions glue reaches tasks through the TaskLauncher and TaskFleet ports")
                .check(classes);
    }
}
