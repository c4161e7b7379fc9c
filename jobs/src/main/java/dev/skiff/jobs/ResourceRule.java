package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;

/** Memory must be a Fargate size for the cpu, so a spec never fails at RunTask time. */
final class ResourceRule implements SpecRule {

    static final int DEFAULT_CPU = 256;

    @Override
    public void check(JsonNode root, Violations out) {
        JsonNode resources = root.path("resources");
        JsonNode cpuNode = resources.path("cpu");
        int cpu = cpuNode.isMissingNode() ? DEFAULT_CPU : SpecNodes.intValue(cpuNode).orElse(-1);
        if (!FargateSizes.isCpu(cpu)) {
            return;
        }
        JsonNode memory = resources.path("memory");
        SpecNodes.intValue(memory)
                .stream()
                .filter(m -> !FargateSizes.isValid(cpu, m))
                .forEach(m -> out.semantic("resources.memory", memory,
                        "is not valid with cpu " + cpu + " (allowed " + FargateSizes.describeAllowed(cpu) + ")"));
    }
}
