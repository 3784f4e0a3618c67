package dev.backup4j.ssh;

import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SnapshotSources;
import dev.backup4j.core.snapshot.SourceEntry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;

/**
 * One file whose content is the standard output of a command run on the remote host. Reached through
 * {@link RemoteSources#command}. The file is stored with mode 0600 (dumps are often sensitive) and the clock's time.
 * A non-zero exit status, a signal, or a connection lost while the output streams fails the source with a
 * {@link RemoteCommandException} (a {@link dev.backup4j.core.snapshot.SourceFailedException}, so the backup saves no
 * snapshot) that holds the end of the remote standard error. Failing to start the command at all, after the retries,
 * fails the source the same way.
 */
final class RemoteCommandSource implements SnapshotSource {
    private static final int STDERR_TAIL = 4096;

    private final SshConnection connection;
    private final String command;
    private final String snapshotPath;

    RemoteCommandSource(SshConnection connection, String command, String snapshotPath) {
        this.connection = connection;
        this.command = command;
        this.snapshotPath = snapshotPath;
    }

    @Override
    public String path() {
        return snapshotPath;
    }

    @Override
    public SourceEntry root() {
        String name = snapshotPath.substring(snapshotPath.lastIndexOf('/') + 1);
        return SnapshotSources.streamFile(name, 0600, connection.config().clock(), this::start);
    }

    private InputStream start() throws IOException {
        try {
            return startWithRetries();
        } catch (SshConnectionException e) {
            throw new RemoteCommandException("cannot run '" + command + "' on " + connection.destination() + ": "
                    + e.getMessage(), "", e);
        }
    }

    private InputStream startWithRetries() throws IOException {
        // Starting is retried like any SFTP call; once output flows, a lost connection fails the source.
        return connection.retrier().call("run '" + command + "' on " + connection.destination(), attempt -> {
            ClientSession session = connection.session();
            TailBuffer stderr = new TailBuffer(STDERR_TAIL);
            ChannelExec ch = null;
            try {
                ch = session.createExecChannel(command);
                ch.setIn(new ByteArrayInputStream(new byte[0])); // the command sees end-of-file on its stdin
                ch.setErr(stderr);
                ch.open().verify(connection.config().connectTimeout());
                return new Output(ch, ch.getInvertedOut(), stderr);
            } catch (IOException e) {
                if (ch != null) {
                    ch.close(true);
                }
                connection.invalidate(session);
                throw new SshConnectionException("cannot start '" + command + "' on " + connection.destination()
                        + ": " + e.getMessage(), e);
            }
        });
    }

    /** The command's stdout; at its end, the exit status decides between end-of-file and failure. */
    private final class Output extends InputStream {
        private final ChannelExec channel;
        private final InputStream out;
        private final TailBuffer stderr;
        private boolean checked;

        Output(ChannelExec channel, InputStream out, TailBuffer stderr) {
            this.channel = channel;
            this.out = out;
            this.stderr = stderr;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n;
            try {
                n = out.read(b, off, len);
            } catch (IOException e) {
                throw new RemoteCommandException("output of '" + command + "' on " + connection.destination()
                        + " was cut off: " + e.getMessage(), stderr.text().strip(), e);
            }
            if (n < 0 && !checked) {
                checked = true;
                checkExit();
            }
            return n;
        }

        private void checkExit() throws IOException {
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), connection.config().ioTimeout());
            Integer status = channel.getExitStatus();
            if (status != null && status == 0) {
                return;
            }
            String err = stderr.text().strip();
            String how = status != null ? "exited with status " + status
                    : channel.getExitSignal() != null ? "was killed by signal " + channel.getExitSignal()
                    : "ended without an exit status (connection lost?)";
            throw new RemoteCommandException("remote command '" + command + "' on " + connection.destination() + " "
                    + how + (err.isEmpty() ? "" : "; stderr: " + err), status == null ? -1 : status, err);
        }

        @Override
        public void close() throws IOException {
            channel.close(false);
        }
    }

    /** Keeps the last {@code capacity} bytes written. */
    static final class TailBuffer extends OutputStream {
        private final byte[] ring;
        private long written;

        TailBuffer(int capacity) {
            this.ring = new byte[capacity];
        }

        @Override
        public synchronized void write(int b) {
            ring[(int) (written++ % ring.length)] = (byte) b;
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = 0; i < len; i++) {
                write(b[off + i]);
            }
        }

        synchronized String text() {
            int n = (int) Math.min(written, ring.length);
            byte[] out = new byte[n];
            long start = written - n;
            for (int i = 0; i < n; i++) {
                out[i] = ring[(int) ((start + i) % ring.length)];
            }
            String s = new String(out, StandardCharsets.UTF_8);
            return written > ring.length ? "..." + s : s;
        }
    }
}
