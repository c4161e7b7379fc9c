package dev.skiff.orchestrator.adapter.local;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Makes what Skiff keeps on disk readable by its own user only (directories 700, files 600), as job specs written
 * through the API already are: attempt logs hold whatever jobs print, secrets included at times, and the database
 * every run's parameters. Where the file system has no POSIX permissions (Windows) nothing is changed.
 */
public final class OwnerOnly {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates the directory and its missing parents as 700, or makes the directory that is there 700. */
    public static Path directory(Path dir) throws IOException {
        if (!POSIX) {
            return Files.createDirectories(dir);
        }
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        Files.setPosixFilePermissions(dir, DIRECTORY);
        return dir;
    }

    /** Creates an empty file as 600, or makes the file that is there 600. */
    static void file(Path file) throws IOException {
        if (!POSIX) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } catch (FileAlreadyExistsException e) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    /**
     * Makes the files in {@code dir} whose names match {@code glob} 600: for files another library created with the
     * process's umask (the database). The directory is owner-only already, so they were never readable by others.
     */
    public static void existingFiles(Path dir, String glob) throws IOException {
        if (!POSIX) {
            return;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, glob)) {
            for (Path file : files) {
                if (Files.isRegularFile(file)) {
                    Files.setPosixFilePermissions(file, FILE);
                }
            }
        }
    }
}
