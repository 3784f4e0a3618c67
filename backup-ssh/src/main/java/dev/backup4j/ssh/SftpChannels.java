package dev.backup4j.ssh;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.Semaphore;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;

/**
 * A bounded pool of SFTP channels over one {@link SshConnection}. Each call borrows a channel, maps failures with
 * {@link SftpErrors}, and on a transport failure drops the channel and the session and tries again as the connection's
 * retry policy allows. SFTP version 3 is used with every server, as OpenSSH speaks nothing newer.
 */
final class SftpChannels implements Closeable {
    /** Work on one channel; {@code attempt} counts from 1 so that a retried write can clean up. */
    @FunctionalInterface
    interface Call<T> {
        T apply(SftpClient sftp, int attempt) throws IOException;
    }

    private final SshConnection connection;
    private final Semaphore permits;
    private final Deque<SftpClient> idle = new ConcurrentLinkedDeque<>();
    private volatile boolean closed;

    SftpChannels(SshConnection connection, int maxChannels) {
        this.connection = connection;
        this.permits = new Semaphore(maxChannels, true);
    }

    SshConnection connection() {
        return connection;
    }

    <T> T call(String what, String path, Call<T> call) throws IOException {
        return connection.retrier().call(what, attempt -> once(path, call, attempt));
    }

    private <T> T once(String path, Call<T> call, int attempt) throws IOException {
        try {
            permits.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for an SFTP channel");
        }
        SftpClient sftp = null;
        boolean reusable = false;
        try {
            sftp = borrow(path);
            T result = call.apply(sftp, attempt);
            reusable = true;
            return result;
        } catch (IOException e) {
            IOException mapped = SftpErrors.map(e, path);
            if (mapped instanceof SshConnectionException) {
                if (sftp != null) {
                    connection.invalidate(sftp.getClientSession());
                }
            } else {
                reusable = sftp != null && sftp.isOpen();
            }
            throw mapped;
        } finally {
            if (sftp != null) {
                if (reusable && !closed) {
                    idle.push(sftp);
                } else {
                    closeQuietly(sftp);
                }
            }
            permits.release();
        }
    }

    private SftpClient borrow(String path) throws IOException {
        ClientSession session;
        try {
            session = connection.session();
        } catch (SshConnectionException | HostKeyVerificationException | SshAuthenticationException e) {
            throw SftpErrors.decided(e); // already retried by connect, or permanent
        }
        for (SftpClient c; (c = idle.poll()) != null;) {
            if (c.isOpen() && c.getClientSession() == session) {
                return c;
            }
            closeQuietly(c);
        }
        try {
            return SftpClientFactory.instance().createSftpClient(session, 3);
        } catch (IOException e) {
            connection.invalidate(session);
            throw new SshConnectionException(path + ": cannot open an SFTP channel on " + connection.destination()
                    + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(SftpClient c) {
        try {
            c.close();
        } catch (IOException | RuntimeException ignored) {
            // the channel is being dropped anyway
        }
    }

    @Override
    public void close() {
        closed = true;
        for (SftpClient c; (c = idle.poll()) != null;) {
            closeQuietly(c);
        }
    }
}
