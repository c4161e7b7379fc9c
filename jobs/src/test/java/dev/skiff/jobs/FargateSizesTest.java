package dev.skiff.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FargateSizesTest {

    @Test
    void shouldAcceptEdgesOfEachRowWhenPairIsInTable() {
        assertThat(FargateSizes.isValid(256, 512)).isTrue();
        assertThat(FargateSizes.isValid(256, 2048)).isTrue();
        assertThat(FargateSizes.isValid(512, 4096)).isTrue();
        assertThat(FargateSizes.isValid(4096, 30720)).isTrue();
        assertThat(FargateSizes.isValid(8192, 61440)).isTrue();
        assertThat(FargateSizes.isValid(16384, 122880)).isTrue();
    }

    @Test
    void shouldRejectPairWhenOffStepOrOutOfRange() {
        assertThat(FargateSizes.isValid(256, 1536)).isFalse();
        assertThat(FargateSizes.isValid(1024, 16384)).isFalse();
        assertThat(FargateSizes.isValid(8192, 17408)).isFalse();
        assertThat(FargateSizes.isValid(16384, 36864)).isFalse();
        assertThat(FargateSizes.isValid(300, 1024)).isFalse();
    }

    @Test
    void shouldDescribeAllowedMemoryWhenAskedForACpu() {
        assertThat(FargateSizes.describeAllowed(256)).isEqualTo("512, 1024 or 2048");
        assertThat(FargateSizes.describeAllowed(1024)).isEqualTo("2048-8192 in steps of 1024");
        assertThat(FargateSizes.describeAllowed(16384)).isEqualTo("32768-122880 in steps of 8192");
    }

    @Test
    void shouldGiveSmallestMemoryWhenAskedForDefault() {
        assertThat(FargateSizes.smallestMemory(256)).isEqualTo(512);
        assertThat(FargateSizes.smallestMemory(8192)).isEqualTo(16384);
    }

    @Test
    void shouldThrowWhenCpuIsNotAFargateSize() {
        assertThatThrownBy(() -> FargateSizes.smallestMemory(300)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("300 is not a Fargate cpu size (allowed [256, 512, 1024, 2048, 4096, 8192, 16384])");
    }
}
