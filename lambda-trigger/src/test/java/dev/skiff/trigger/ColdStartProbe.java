package dev.skiff.trigger;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * Run by {@link ColdStartIT} in a fresh JVM on the shaded jar, the way Lambda starts the function:
 * construct the handler from the environment (init), then handle one event (first invocation).
 * Prints the figures and the response.
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws Exception {
        long atMain = System.nanoTime();
        var function = new TriggerFunction();
        long initialised = System.nanoTime();
        var out = new ByteArrayOutputStream();
        try (InputStream in = new FileInputStream(args[0])) {
            function.handleRequest(in, out, null);
        }
        long invoked = System.nanoTime();
        long jvmToMain = ManagementFactory.getRuntimeMXBean().getUptime() - (invoked - atMain) / 1_000_000;
        System.out.println("cold-start jvmToMainMs=" + jvmToMain
                + " initMs=" + (initialised - atMain) / 1_000_000
                + " firstInvocationMs=" + (invoked - initialised) / 1_000_000);
        System.out.println("response " + out.toString(StandardCharsets.UTF_8));
    }
}
