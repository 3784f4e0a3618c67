package dev.backup4j.ssh;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.apache.sshd.agent.common.AbstractAgentProxy;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Talks to an ssh-agent over its Unix socket with the JDK's Unix-domain channels (MINA's own agent client needs
 * native Tomcat APR). An agent that cannot be reached offers no keys, with a warning, so that other credentials are
 * still tried.
 */
final class UnixSocketAgent extends AbstractAgentProxy {
    private static final Logger LOG = LoggerFactory.getLogger(UnixSocketAgent.class);
    private static final int MAX_MESSAGE = 256 * 1024;

    private final Path socket;
    private SocketChannel channel; // guarded by this
    private boolean open = true; // guarded by this

    UnixSocketAgent(Path socket) {
        super(null);
        this.socket = socket;
    }

    @Override
    public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
        try {
            return super.getIdentities();
        } catch (IOException e) {
            LOG.warn("ssh-agent at {} is not usable: {}", socket, e.getMessage());
            return List.of();
        }
    }

    @Override
    protected synchronized Buffer request(Buffer buffer) throws IOException {
        if (!open) {
            throw new IOException("agent connection closed");
        }
        if (channel == null) {
            SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            channel = ch;
        }
        // The caller's prepare() has already written the length prefix.
        ByteBuffer out = ByteBuffer.wrap(buffer.array(), buffer.rpos(), buffer.available());
        while (out.hasRemaining()) {
            channel.write(out);
        }
        ByteBuffer len = ByteBuffer.allocate(4);
        readFully(len);
        int n = len.flip().getInt();
        if (n < 0 || n > MAX_MESSAGE) {
            throw new IOException("bad ssh-agent message length " + n);
        }
        ByteBuffer body = ByteBuffer.allocate(n);
        readFully(body);
        return new ByteArrayBuffer(body.array());
    }

    private void readFully(ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            if (channel.read(b) < 0) {
                throw new EOFException("ssh-agent closed the connection");
            }
        }
    }

    @Override
    public synchronized boolean isOpen() {
        return open;
    }

    @Override
    public synchronized void close() throws IOException {
        open = false;
        if (channel != null) {
            channel.close();
            channel = null;
        }
    }
}
