package dev.skiff.orchestrator.port;

import java.util.Map;

/**
 * Where the outputs of a run's steps are kept between the step that wrote one and the steps that read it
 * ({@code $.steps.<name>.output}): the engine keeps a step's output when the step succeeds, and reads the run's
 * outputs when a later step is about to start. Only steps that run once have an output others can read; a forEach
 * step's items each have their own, which no reference names.
 */
public interface StepOutputs {

    /** Keeps the step's output (JSON text); keeping it again overwrites it. Throws when the store cannot be reached. */
    void keep(String runId, String step, String json);

    /** The outputs of the run's steps, by step name; empty for a run that has none. */
    Map<String, String> of(String runId);
}
