package dev.skiff.orchestrator.cli;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The one entry point of the orchestrator jar. Without arguments, or with {@code up} alone, it serves; otherwise
 * picocli runs the command ({@code skiff --help} lists them): {@code up} and {@code demo} start Quarkus, the others
 * are clients of a running orchestrator (or, {@code validate}, of none) and end the JVM with their exit code.
 */
@QuarkusMain
public class SkiffMain {

    public static void main(String... args) {
        if (servesAtOnce(args)) {
            Quarkus.run();
            return;
        }
        System.exit(SkiffCli.execute(Terminal.system(), args));
    }

    /**
     * Whether {@code args} start the service with nothing to parse: none (the container) or {@code up} alone
     * ({@code ./skiff up}). picocli's model of every command (its classes, the annotations' proxies) would otherwise be
     * built only to run {@code up}, and stay loaded for as long as the service runs: 2.5 MB of idle RSS.
     */
    static boolean servesAtOnce(String... args) {
        return args.length == 0 || (args.length == 1 && args[0].equals("up"));
    }
}
