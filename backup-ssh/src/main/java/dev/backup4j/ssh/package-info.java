/**
 * SSH for backups: repositories on SFTP servers, and sources that pull files and command output from remote hosts.
 *
 * <p>Start with {@link dev.backup4j.ssh.SshConfig} (where and how to log in; host keys are always verified, see
 * {@link dev.backup4j.ssh.HostKeyPolicy}) and {@link dev.backup4j.ssh.SshConnection}. Then
 * {@link dev.backup4j.ssh.SftpBackends} gives a {@link dev.backup4j.core.backend.Backend} in restic's layout
 * (interchangeable with {@code restic -r sftp:...}; {@link dev.backup4j.ssh.SftpRepositoryLocation} parses restic's
 * location strings), and {@link dev.backup4j.ssh.RemoteSources} gives
 * {@link dev.backup4j.core.snapshot.SnapshotSource}s for a remote directory tree and for a remote command's output.
 *
 * <p>Failures: {@link dev.backup4j.ssh.SshConnectionException} is the one transient failure and is retried
 * internally as {@link dev.backup4j.ssh.RetryPolicy} allows; host key, authentication, missing file, permission and
 * {@link dev.backup4j.ssh.RemoteDiskFullException} failures are permanent. No password, passphrase or key material
 * appears in a message, a log line or a {@code toString()}.
 */
package dev.backup4j.ssh;
