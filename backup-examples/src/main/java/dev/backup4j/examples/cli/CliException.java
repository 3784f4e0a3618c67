package dev.backup4j.examples.cli;

/** A usage problem the CLI reports as one line (no password, missing --repo, ...). */
final class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CliException(String message) {
        super(message);
    }
}
