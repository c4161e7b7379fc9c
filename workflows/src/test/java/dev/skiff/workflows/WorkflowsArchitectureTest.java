package dev.skiff.workflows;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** workflows stays plain Java (DESIGN.md): no files, network, processes, AWS SDK, CDI or Quarkus. */
class WorkflowsArchitectureTest {

    @Test
    void shouldDependOnNoIoOrFrameworkWhenMainClassesAreImported() {
        // Given
        var classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.skiff.workflows");

        // When / Then
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "java.nio.file..", "java.net..", "software.amazon..", "jakarta..", "io.quarkus..")
                .orShould().dependOnClassesThat().belongToAnyOf(ProcessBuilder.class)
                .because("workflows holds pure run semantics and the ASL compiler, shared by every module")
                .check(classes);
    }
}
