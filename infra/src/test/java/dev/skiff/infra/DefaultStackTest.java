package dev.skiff.infra;

import org.junit.jupiter.api.BeforeAll;
import software.amazon.awscdk.assertions.Template;

/** A test of the default stack (new VPC, every default), synthesized once for all such tests. */
abstract class DefaultStackTest {

    static Synthesized skiff;
    static Template template;

    @BeforeAll
    static void synthesizeDefaultStack() {
        skiff = Synthesized.defaultStack();
        template = skiff.assertions();
    }
}
