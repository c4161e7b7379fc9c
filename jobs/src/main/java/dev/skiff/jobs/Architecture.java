package dev.skiff.jobs;

/** CPU architecture of the job's image; spelled as ECS spells it. */
public enum Architecture {
    X86_64, ARM64
}
