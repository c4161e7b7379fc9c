package dev.skiff.workflows;

import dev.skiff.jobs.JobSpec;
import dev.skiff.jobs.LaunchableText;
import dev.skiff.jobs.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

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
        var declared = job.parameters().stream().collect(Collectors.toMap(Parameter::name, p -> p));
        var problems = new ArrayList<String>();
        given.keySet().stream().filter(name -> !declared.containsKey(name)).sorted().forEach(name ->
                problems.add("parameters." + name + ": is not a declared parameter of job " + job.name()
                        + " (declared: " + (declared.isEmpty() ? "none" : String.join(", ", declared.keySet().stream().sorted().toList())) + ")"));
        var values = new LinkedHashMap<String, String>();
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
}
