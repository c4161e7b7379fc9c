package dev.skiff.jobs;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated job: what to run, with what resources, and what starts it. Instances come from
 * {@link JobSpecs#parse}, so every field already satisfies the rules the validator checks; absent
 * optional fields hold their defaults, never null.
 *
 * @param name         1-48 characters of lowercase letters, digits and '-'; unique per registry
 * @param owner        the team that owns the job (same alphabet as names)
 * @param command      the container command; the process launcher runs it as a child process
 * @param args         appended to command
 * @param environment  plain variables (never secrets)
 * @param secrets      variable name to a Secrets Manager or SSM parameter ARN; never a value
 * @param timeout      the longest one attempt may run
 * @param parameters   declared parameters, in the order of the spec; passed as environment variables
 */
public record JobSpec(
        String name,
        String description,
        String owner,
        String image,
        List<String> command,
        List<String> args,
        Map<String, String> environment,
        Map<String, String> secrets,
        Resources resources,
        Capacity capacity,
        Duration timeout,
        RetryPolicy retries,
        List<Parameter> parameters,
        Map<String, String> tags,
        Triggers triggers) {

    public JobSpec {
        command = List.copyOf(command);
        args = List.copyOf(args);
        environment = Map.copyOf(environment);
        secrets = Map.copyOf(secrets);
        parameters = List.copyOf(parameters);
        tags = Map.copyOf(tags);
    }

    /** command followed by args: what actually runs. */
    public List<String> commandLine() {
        var all = new java.util.ArrayList<String>(command);
        all.addAll(args);
        return List.copyOf(all);
    }
}
