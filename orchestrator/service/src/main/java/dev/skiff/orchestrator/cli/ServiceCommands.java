package dev.skiff.orchestrator.cli;

import io.quarkus.runtime.Quarkus;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/**
 * The two commands that start Quarkus in this JVM (every other command is a client and never does: it would bind the
 * HTTP port and open the data directory of the orchestrator it talks to). Quarkus ends the JVM when it stops.
 */
final class ServiceCommands {

    private ServiceCommands() {
    }

    @Command(name = "up", description = "Start the orchestrator and serve until stopped (http://127.0.0.1:8080).")
    static final class Up implements Callable<Integer> {

        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            Quarkus.run(args.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "demo", description = "Start the orchestrator on jobs/examples, drive it through its API, print the"
            + " runs and stop; exit 0 only if every run succeeded.")
    static final class Demo implements Callable<Integer> {

        @Unmatched
        List<String> args = new ArrayList<>();

        @Override
        public Integer call() {
            Quarkus.run(DemoCommand.class, args.toArray(String[]::new));
            return 0;
        }
    }
}
