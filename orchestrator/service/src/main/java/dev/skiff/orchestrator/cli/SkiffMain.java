package dev.skiff.orchestrator.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.util.Arrays;

/**
 * The one entry point of the orchestrator jar: {@code validate FILE...} checks specs without
 * starting a server, {@code apply FILE...} sends them to a running one, {@code backfill JOB --from --to} asks a running one to run a schedule's past fires, {@code demo} starts the service, drives it through its API and stops it,
 * anything else ({@code up}) serves until stopped.
 */
@QuarkusMain
public class SkiffMain {

    public static void main(String... args) {
        String command = args.length == 0 ? "up" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        switch (command) {
            case "validate" -> System.exit(ValidateCommand.run(rest, System.out));
            case "apply" -> System.exit(ApplyCommand.run(rest, System.getenv(), System.out, System.err));
            case "backfill" -> System.exit(BackfillCommand.run(rest, System.getenv(), System.out, System.err));
            case "demo" -> Quarkus.run(DemoCommand.class, rest);
            case "up" -> Quarkus.run(rest);
            default -> {
                System.err.println("skiff: unknown command '" + command + "' (commands: up, demo, validate FILE..., apply FILE..., backfill JOB --from --to)");
                System.exit(2);
            }
        }
    }
}
