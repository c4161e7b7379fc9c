package dev.skiff.jobs;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** jobs is plain Java shared by every module: no I/O, no AWS SDK, no container framework. */
@AnalyzeClasses(packages = "dev.skiff.jobs", importOptions = ImportOption.DoNotIncludeTests.class)
class DependencyRulesTest {

    @ArchTest
    static final ArchRule shouldStayFreeOfIoAndFrameworksWhenCompiled = noClasses()
            .that().resideInAPackage("dev.skiff.jobs..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "java.nio.file..", "java.net..", "software.amazon.awssdk..", "jakarta..", "javax.inject..",
                    "javax.enterprise..", "io.quarkus..")
            .orShould().dependOnClassesThat().haveFullyQualifiedName("java.lang.ProcessBuilder");
}
