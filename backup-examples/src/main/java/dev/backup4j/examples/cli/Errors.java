package dev.backup4j.examples.cli;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.RepositoryException;
import dev.backup4j.core.snapshot.SourceFailedException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** One-line messages for errors, as the CLI prints them. */
final class Errors {
    private Errors() {
    }

    /**
     * An entry a backup could not read, as restic prints it: {@code error: open PATH: permission denied}. The library
     * reports a denied access as "permission denied", and in a backup that comes from opening a file to read it or a
     * directory to list it, which restic names "open".
     */
    static String backupError(String path, String message) {
        return "error: " + ("permission denied".equals(message) ? "open " + path : path) + ": " + message;
    }

    static String oneLine(Throwable e) {
        while (e instanceof java.io.UncheckedIOException && e.getCause() != null) {
            e = e.getCause(); // e.g. a damaged index file met by an operation, the index loading in the background
        }
        String msg;
        if (e instanceof NoSuchFileException n) {
            msg = "no such file or directory: " + n.getFile();
        } else if (e instanceof AccessDeniedException a) {
            msg = "permission denied: " + a.getFile();
        } else if (e instanceof FileAlreadyExistsException f && f.getReason() == null) {
            msg = "file exists: " + f.getFile();
        } else if (e instanceof NotDirectoryException n && n.getReason() == null) {
            msg = "not a directory: " + n.getFile();
        } else if (e instanceof DirectoryNotEmptyException d && d.getReason() == null) {
            msg = "directory not empty: " + d.getFile();
        } else if (e instanceof FileSystemException f && f.getReason() != null) {
            msg = f.getMessage(); // "FILE: reason", as the system said it
        } else if (e instanceof CorruptDataException) {
            msg = "repository data is damaged: " + e.getMessage();
        } else if (e instanceof RepositoryException || e instanceof SourceFailedException
                || e instanceof IllegalArgumentException || e instanceof IllegalStateException
                || e instanceof CliException || e instanceof java.time.DateTimeException
                || e.getClass() == java.io.IOException.class) {
            // the library's own plain IOExceptions say what happened in words; the class name adds nothing
            msg = e.getMessage();
        } else {
            msg = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
        }
        return msg == null ? e.toString() : msg.replace('\n', ' ');
    }
}
