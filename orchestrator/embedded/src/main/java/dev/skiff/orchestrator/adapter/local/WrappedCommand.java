package dev.skiff.orchestrator.adapter.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The command line that runs a job's command under a small shell wrapper. Java cannot read the
 * exit code of a process that is not its child, so a restarted orchestrator could not tell how a
 * task ended; the wrapper records the code in the exit file (written to a temporary name, then
 * renamed, so a reader never sees half a number) before it exits.
 *
 * <p>The exit file holds a decimal exit status, or {@value #NOT_FOUND} / {@value #NOT_EXECUTABLE}
 * when the command could not be started, so that a program which itself exits 127 is not
 * mistaken for a missing one.
 */
final class WrappedCommand {

    static final String NOT_FOUND = "not-found";
    static final String NOT_EXECUTABLE = "not-executable";

    /*
     * $0 is the exit file, "$@" the job's command, passed as arguments so that nothing in it is
     * ever parsed by the shell. The script assigns no variable before the command runs: the shell
     * exports every variable it imported, so an assignment to a name the job also uses would change
     * the job's environment. "trap : TERM" keeps the wrapper alive when a stop signals the whole
     * group, so it still records the job's own exit code; a handler (unlike an ignored signal)
     * is reset in the job's process, which therefore receives TERM as usual. "command -p mv" finds
     * mv on the default path even when the job's environment replaces PATH.
     */
    private static final String SCRIPT = String.join("\n",
            "trap : TERM",
            "case $1 in */*) [ -e \"$1\" ] ;; *) command -v -- \"$1\" >/dev/null 2>&1 ;; esac || {",
            "  printf 'skiff: command not found: %s\\n' \"$1\" >&2",
            "  printf " + NOT_FOUND + " >\"$0.tmp\" && command -p mv -f \"$0.tmp\" \"$0\"",
            "  exit 127",
            "}",
            "case $1 in */*) [ -f \"$1\" ] && [ -x \"$1\" ] ;; esac || {",
            "  printf 'skiff: command not executable: %s\\n' \"$1\" >&2",
            "  printf " + NOT_EXECUTABLE + " >\"$0.tmp\" && command -p mv -f \"$0.tmp\" \"$0\"",
            "  exit 126",
            "}",
            "\"$@\"",
            "code=$?",
            "printf %s \"$code\" >\"$0.tmp\" && command -p mv -f \"$0.tmp\" \"$0\"",
            "exit \"$code\"");

    private static final Pattern PATH_SEPARATOR = Pattern.compile(Pattern.quote(java.io.File.pathSeparator));

    private WrappedCommand() {
    }

    /**
     * The argv to start. With {@code setsid} the wrapper leads its own session and process group,
     * so signals aimed at the orchestrator's terminal do not reach jobs and a stop can signal the
     * whole group. setsid forks only when its caller already leads a process group, which a child
     * started by the JVM never does, so the pid Java sees is the wrapper's own.
     */
    static List<String> argv(Optional<Path> setsid, Path exitFile, List<String> commandLine) {
        if (commandLine.isEmpty()) {
            throw new IllegalArgumentException("command line must not be empty");
        }
        var argv = new ArrayList<String>();
        setsid.ifPresent(path -> argv.add(path.toString()));
        argv.addAll(List.of("/bin/sh", "-c", SCRIPT, exitFile.toString()));
        argv.addAll(commandLine);
        return argv;
    }

    /** Finds an executable on a PATH value; absent where it does not exist (setsid is missing on macOS). */
    static Optional<Path> locate(String name, String path) {
        if (path == null) {
            return Optional.empty();
        }
        return PATH_SEPARATOR.splitAsStream(path)
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, name))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .map(Path::toAbsolutePath)
                .findFirst();
    }
}
