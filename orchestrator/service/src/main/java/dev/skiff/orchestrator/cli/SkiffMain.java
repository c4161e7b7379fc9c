package dev.skiff.orchestrator.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The one entry point of the orchestrator jar. Without arguments it serves ({@code up}); otherwise picocli runs the
 * command ({@code skiff --help} lists them): {@code up} and {@code demo} start Quarkus, the others are clients of a
 * running orchestrator (or, {@code validate}, of none) and end the JVM with their exit code.
 */
@QuarkusMain
public class SkiffMain {

    public static void main(String... args) {
        if (args.length == 0) {
            Quarkus.run();
            return;
        }
        System.exit(SkiffCli.execute(Terminal.system(), args));
    }
}
