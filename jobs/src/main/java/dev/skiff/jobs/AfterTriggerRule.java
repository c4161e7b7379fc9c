package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * {@code triggers.after}: the statuses must be ways a run ends, a job cannot follow itself (each of its runs would
 * start another, for ever), and the parameter paths must be paths {@link EventPath} can walk. Cycles through other
 * jobs, and upstream jobs that are not registered, are seen only with the whole registry ({@link JobFollowers}).
 */
final class AfterTriggerRule implements SpecRule {

    @Override
    public void check(JsonNode root, Violations out) {
        List<JsonNode> after = SpecNodes.items(root.path("triggers").path("after"));
        String self = root.path("name").asText("");
        for (int i = 0; i < after.size(); i++) {
            String at = SpecPaths.item("triggers.after", i);
            JsonNode job = after.get(i).path("job");
            if (job.isTextual() && job.textValue().equals(self)) {
                out.semantic(SpecPaths.field(at, "job"), job, "is this job itself: a job that follows itself would start"
                        + " a run at the end of each of its runs, for ever");
            }
            checkStatuses(SpecPaths.field(at, "status"), after.get(i).path("status"), out);
            for (Map.Entry<String, JsonNode> parameter : SpecNodes.fields(after.get(i).path("parameters"))) {
                if (parameter.getValue().isTextual()) {
                    EventPathRule.check(SpecPaths.field(SpecPaths.field(at, "parameters"), parameter.getKey()),
                            parameter.getValue(), out);
                }
            }
        }
    }

    private static void checkStatuses(String at, JsonNode status, Violations out) {
        if (status.isTextual()) {
            checkStatus(at, status, out);
            return;
        }
        if (!status.isArray()) {
            return; // missing (SUCCEEDED), or a type the schema already refused
        }
        if (status.isEmpty()) {
            out.semantic(at, status, "must name at least one status");
        }
        for (int i = 0; i < status.size(); i++) {
            checkStatus(SpecPaths.item(at, i), status.get(i), out);
        }
    }

    private static void checkStatus(String at, JsonNode status, Violations out) {
        boolean ends = status.isTextual() && RunEvents.Kind.byName(status.textValue()).filter(RunEvents.Kind::isEnd).isPresent();
        if (!ends) {
            out.semantic(at, status, "must be SUCCEEDED, FAILED, TIMED_OUT or CANCELLED (how the upstream run ended)");
        }
    }
}
