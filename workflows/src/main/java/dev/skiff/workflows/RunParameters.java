package dev.skiff.workflows;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.LaunchableText;
import dev.skiff.jobs.Parameter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Turns the parameters a trigger gives into the values a run gets: defaults filled, requirements checked. */
public final class RunParameters {

    private RunParameters() {
    }

    /**
     * @param values    the values to run with, when {@code problems} is empty
     * @param problems  one line per problem, naming the parameter, e.g. {@code parameters.END_DATE: is required}
     */
    public record Resolution(Map<String, String> values, List<String> problems) {

        public boolean ok() {
            return problems.isEmpty();
        }
    }

    public static Resolution resolve(JobSpec job, Map<String, String> given) {
        // Every event and cron start resolves here, several per event: plain loops over the (few) declared parameters
        if (fitsAsGiven(job, given)) {
            return new Resolution(Map.copyOf(given), List.of()); // no copy when the trigger's map is immutable already
        }
        return resolveInFull(job, given);
    }

    /** {@link #resolve} building the values anew and telling every problem; what it does whenever the given values do not fit as they are. */
    static Resolution resolveInFull(JobSpec job, Map<String, String> given) {
        var problems = new ArrayList<String>();
        List<String> undeclared = new ArrayList<>();
        for (String name : given.keySet()) {
            if (!declares(job, name)) {
                undeclared.add(name);
            }
        }
        if (!undeclared.isEmpty()) {
            List<String> declared = job.parameters().stream().map(Parameter::name).sorted().toList();
            undeclared.stream().sorted().forEach(name -> problems.add("parameters." + name + ": is not a declared parameter of job "
                    + job.name() + " (declared: " + (declared.isEmpty() ? "none" : String.join(", ", declared)) + ")"));
        }
        var values = new HashMap<String, String>();
        for (Parameter p : job.parameters()) {
            String value = given.get(p.name());
            if (value == null) {
                value = p.defaultValue().orElse(null);
            }
            if (value != null) {
                LaunchableText.problem(value).ifPresent(what -> problems.add("parameters." + p.name() + ": contains " + what
                        + ", which an environment variable cannot carry; the run was not started"));
            }
            if (value == null && p.required()) {
                problems.add("parameters." + p.name() + ": is required"
                        + (p.description() == null || p.description().isBlank() ? "" : " (" + p.description() + ")"));
            } else if (value != null) {
                values.put(p.name(), value);
            }
        }
        return new Resolution(Map.copyOf(values), List.copyOf(problems));
    }

    /**
     * Whether the given values are the run's values as they are, with no problem: every one declared and launchable,
     * none null, and every parameter not given has neither a default nor a requirement. The common case (an event
     * trigger maps each parameter it has a value for) then needs no map built.
     */
    private static boolean fitsAsGiven(JobSpec job, Map<String, String> given) {
        int found = 0;
        for (Parameter p : job.parameters()) {
            String value = given.get(p.name());
            if (value == null) {
                if (p.required() || p.defaultValue().isPresent()) {
                    return false;
                }
            } else if (LaunchableText.problem(value).isPresent()) {
                return false;
            } else {
                found++;
            }
        }
        return found == given.size();
    }

    private static boolean declares(JobSpec job, String name) {
        for (Parameter p : job.parameters()) {
            if (p.name().equals(name)) {
                return true;
            }
        }
        return false;
    }
}
