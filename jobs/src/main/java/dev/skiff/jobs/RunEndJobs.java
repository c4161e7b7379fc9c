package dev.skiff.jobs;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs a run event names: every string at {@code detail.job}, as event-ruler reads the event. Event-ruler names a
 * field by its keys joined with dots, so a key {@code "detail.job"} counts as well as {@code job} inside {@code detail};
 * arrays on the way are looked through (a {@code detail} that is an array of objects, a {@code job} that is an array
 * of strings, nested arrays); a key given twice counts with each of its values. Any other value (a number, an
 * object) names no job, as no string pattern matches it.
 */
final class RunEndJobs {

    private static final String PATH = "detail." + RunEvents.JOB;

    private RunEndJobs() {
    }

    /**
     * @param tokens the event; one that cannot be read to its end names the jobs read up to there (event-ruler has
     *               read it already, so this happens only to text it reads more leniently than Jackson)
     */
    static List<String> of(EventRouterTokens tokens) {
        var jobs = new ArrayList<String>(1);
        try (JsonParser in = tokens.parser()) {
            JsonToken root = in.nextToken();
            if (root == JsonToken.START_OBJECT) {
                value(in, root, "", jobs);
            }
        } catch (IOException e) {
            return jobs;
        }
        return jobs;
    }

    private static void value(JsonParser in, JsonToken token, String path, List<String> jobs) throws IOException {
        if (token == JsonToken.START_OBJECT) {
            for (JsonToken field = in.nextToken(); field == JsonToken.FIELD_NAME; field = in.nextToken()) {
                String child = path.isEmpty() ? in.currentName() : path + "." + in.currentName();
                JsonToken value = in.nextToken();
                if (PATH.equals(child) || PATH.startsWith(child + ".")) {
                    value(in, value, child, jobs);
                } else {
                    in.skipChildren();
                }
            }
        } else if (token == JsonToken.START_ARRAY) {
            for (JsonToken item = in.nextToken(); item != JsonToken.END_ARRAY; item = in.nextToken()) {
                value(in, item, path, jobs);
            }
        } else if (token == JsonToken.VALUE_STRING && PATH.equals(path)) {
            jobs.add(in.getText());
        }
    }
}
