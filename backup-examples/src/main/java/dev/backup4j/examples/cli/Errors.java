package dev.backup4j.examples.cli;

import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.RepositoryException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** One-line messages for errors, as the CLI prints them. */
final class Errors {
    private Errors() {
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
        } else if (e instanceof CorruptDataException) {
            msg = "repository data is damaged: " + e.getMessage();
        } else if (e instanceof RepositoryException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException || e instanceof CliException) {
            msg = e.getMessage();
        } else {
            msg = e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
        }
        return msg == null ? e.toString() : msg.replace('\n', ' ');
    }
}
