package dev.skiff.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/** Each {@code notify} channel must be a webhook URL, an SNS topic ARN or {@code log} ({@link NotifyChannel#parse}). */
final class NotifyRule implements SpecRule {

    @Override
    public void check(JsonNode root, Violations out) {
        for (Map.Entry<String, JsonNode> moment : SpecNodes.fields(root.path("notify"))) {
            List<JsonNode> channels = SpecNodes.items(moment.getValue());
            for (int i = 0; i < channels.size(); i++) {
                JsonNode channel = channels.get(i);
                if (!channel.isTextual()) {
                    continue; // the schema refused it
                }
                String problem = NotifyChannel.parse(channel.textValue()).problem();
                if (!problem.isEmpty()) {
                    out.semantic(SpecPaths.item(SpecPaths.field("notify", moment.getKey()), i), channel, problem);
                }
            }
        }
    }
}
