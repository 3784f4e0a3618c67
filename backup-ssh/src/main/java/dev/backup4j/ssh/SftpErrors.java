package dev.backup4j.ssh;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.SocketTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * Sorts failures into the ones a caller handles. A status the SFTP server answered with is permanent (the server is
 * there and said no); anything else that MINA throws comes from the transport and is a {@link SshConnectionException},
 * which is retried on a new connection.
 */
final class SftpErrors {
    private SftpErrors() {
    }

    /** Carries a failure this module decided on itself (e.g. read past the end) past the transport mapping. */
    static final class Decided extends IOException {
        Decided(IOException cause) {
            super(cause);
        }

        IOException failure() {
            return (IOException) getCause();
        }
    }

    static Decided decided(IOException e) {
        return new Decided(e);
    }

    static boolean isDiskFullMessage(String m) {
        return m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded")
                || m.contains("ENOSPC") || m.contains("EDQUOT"));
    }

    static IOException map(IOException e, String path) {
        if (e instanceof Decided d) {
            return d.failure();
        }
        if (e instanceof SftpException s) {
            String msg = s.getMessage();
            IOException mapped = switch (s.getStatus()) {
                case SftpConstants.SSH_FX_NO_SUCH_FILE, SftpConstants.SSH_FX_NO_SUCH_PATH ->
                        new NoSuchFileException(path, null, msg);
                case SftpConstants.SSH_FX_PERMISSION_DENIED, SftpConstants.SSH_FX_WRITE_PROTECT ->
                        new AccessDeniedException(path, null, msg);
                case SftpConstants.SSH_FX_FILE_ALREADY_EXISTS -> new FileAlreadyExistsException(path, null, msg);
                case SftpConstants.SSH_FX_NO_SPACE_ON_FILESYSTEM, SftpConstants.SSH_FX_QUOTA_EXCEEDED ->
                        new RemoteDiskFullException(path + ": no space left on the remote file system (" + msg + ")", s);
                case SftpConstants.SSH_FX_NO_CONNECTION, SftpConstants.SSH_FX_CONNECTION_LOST ->
                        new SshConnectionException(path + ": " + msg, s);
                default -> isDiskFullMessage(msg)
                        ? new RemoteDiskFullException(path + ": no space left on the remote file system (" + msg + ")", s)
                        : new IOException(path + ": SFTP server answered " + SftpConstants.getStatusName(s.getStatus())
                                + (msg == null || msg.isEmpty() ? "" : ": " + msg), s);
            };
            if (mapped.getCause() == null) {
                mapped.initCause(s);
            }
            return mapped;
        }
        if (e instanceof SocketTimeoutException) {
            return new SshConnectionException(path + ": no answer from the server in time", e);
        }
        if (e instanceof SshConnectionException || e instanceof HostKeyVerificationException
                || e instanceof SshAuthenticationException || e instanceof RemoteDiskFullException
                || e instanceof InterruptedIOException) {
            return e;
        }
        return new SshConnectionException(path + ": SSH connection problem: " + e, e);
    }
}
