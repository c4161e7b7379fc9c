package dev.skiff.orchestrator.adapter.ecs;

import dev.skiff.jobs.JobSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Which role ECS starts a job's tasks with. Each team's role reads only the team's own secrets
 * ({@code skiff/<team>/...}), so a job starts with its owner's role; the shared role (if any) reads no secret and
 * serves only jobs without secrets of teams that have no role of their own.
 *
 * @param shared the fallback ({@code skiff.fargate.execution-role-arn}): image pull and logs only
 * @param byTeam the owner's role ({@code skiff.fargate.execution-role-arns}: {@code <team>=<role ARN>} entries)
 */
public record ExecutionRoles(Optional<String> shared, Map<String, String> byTeam) {

    static final String TEAM_ROLES_KEY = "skiff.fargate.execution-role-arns";
    // The spec's owner alphabet: a key outside it could never match a job.
    private static final Pattern TEAM = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::[0-9]{12}:role/.+");

    public ExecutionRoles {
        byTeam = Map.copyOf(byTeam);
    }

    public static ExecutionRoles sharedOnly(Optional<String> shared) {
        return new ExecutionRoles(shared, Map.of());
    }

    /**
     * Reads {@code <team>=<role ARN>} entries. One list key, not a map key per team: an environment variable
     * (how the CDK stack configures the service) cannot carry a map key with '-' without losing it.
     */
    public static Map<String, String> parseTeamRoles(List<String> entries) {
        return parseTeamRoles(entries, TEAM_ROLES_KEY);
    }

    /** Reads {@code <team>=<role ARN>} entries of the list {@code key} (execution roles, or task roles). */
    public static Map<String, String> parseTeamRoles(List<String> entries, String key) {
        var roles = new TreeMap<String, String>();
        for (String entry : entries) {
            int equals = entry.indexOf('=');
            String team = equals < 0 ? "" : entry.substring(0, equals).strip();
            String arn = equals < 0 ? "" : entry.substring(equals + 1).strip();
            if (!TEAM.matcher(team).matches() || !ROLE_ARN.matcher(arn).matches()) {
                throw new IllegalArgumentException(key + ": " + entry + " must be <team>=<role ARN>"
                        + " (team: lowercase letters, digits and '-' as a job's owner; arn:aws:iam::<account>:role/<name>)");
            }
            if (roles.put(team, arn) != null) {
                throw new IllegalArgumentException(key + ": team " + team + " is named twice");
            }
        }
        return roles;
    }

    /** The role the job's tasks start with; empty when ECS needs none (no secrets, no fallback configured). */
    Optional<String> forJob(JobSpec job) {
        String own = byTeam.get(job.owner());
        if (own != null) {
            return Optional.of(own);
        }
        List<String> problems = problems(job);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return shared;
    }

    /** Why this job cannot start on Fargate as configured, one line per secret; empty when it can. */
    public List<String> problems(JobSpec job) {
        if (byTeam.containsKey(job.owner())) {
            return List.of();
        }
        // A pipeline's steps each start with their own secrets (the job's where a step names none): every one counts.
        var paths = new java.util.TreeSet<String>();
        if (job.isPipeline()) {
            job.steps().forEach(step -> step.secrets().keySet()
                    .forEach(name -> paths.add("steps." + step.name() + ".secrets." + name)));
        } else {
            job.secrets().keySet().forEach(name -> paths.add("secrets." + name));
        }
        return paths.stream()
                .map(path -> job.name() + ": " + path + ": the owner " + job.owner()
                        + " has no execution role to read its secrets (" + TEAM_ROLES_KEY + " has none for "
                        + job.owner() + "; the shared role reads no secret)")
                .toList();
    }
}
