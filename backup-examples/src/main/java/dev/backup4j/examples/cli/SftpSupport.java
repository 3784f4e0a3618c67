package dev.backup4j.examples.cli;

import dev.backup4j.core.backend.Backend;

/** Wiring of SFTP repository locations; filled in when backup-ssh exposes its factory. */
final class SftpSupport {
    private SftpSupport() {
    }

    static Backend backend(String location, BackupCli cli) {
        throw new CliException("sftp repositories are not supported by this build yet: " + location);
    }
}
