package dev.skiff.orchestrator.cli;

import java.util.LinkedHashMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code skiff runs [--job J] [--status S[,S]] [--limit N]}: the runs, newest first, as a table. */
@Command(name = "runs", description = "List runs, newest first, optionally of one job and in some statuses.")
final class RunsCommand extends ClientCommand {

    @Option(names = "--job", paramLabel = "JOB", description = "only this job's runs")
    String job;
    @Option(names = "--status", paramLabel = "S[,S...]", description = "only runs in these statuses: PENDING, RUNNING,"
            + " RETRY_WAIT, SUCCEEDED, FAILED, TIMED_OUT, CANCELLED")
    String status;
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", description = "at most N runs, 1-1000 (default: 20)")
    int limit;
    RunsCommand(Terminal terminal) {
        super(terminal);
    }

    @Override
    public Integer call() {
        OrchestratorConnection api = connect();
        var query = new LinkedHashMap<String, String>();
        query.put("job", job);
        query.put("status", status);
        query.put("limit", Integer.toString(limit));
        String body = api.call(api.request("/runs" + OrchestratorConnection.query(query)).GET().build()).body();
        if (output.json()) {
            terminal.out().println(body);
        } else {
            RunTable.print(OrchestratorConnection.json(body), terminal.out());
        }
        return 0;
    }
}
