package dev.skiff.jobs;

import java.util.Optional;

/**
 * A declared run parameter, passed to the job as an environment variable of the same name.
 *
 * @param name          a valid environment variable name, not starting with SKIFF_
 * @param defaultValue  used when a trigger gives no value
 * @param required      a run without a value (and without a default) is refused
 */
public record Parameter(String name, String description, Optional<String> defaultValue, boolean required) {
}
