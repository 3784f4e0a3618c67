package dev.backup4j.ssh;

import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.PathFilter;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SourceEntry;
import dev.backup4j.core.snapshot.SourceFailedException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;

/**
 * A directory tree on a remote host, walked over SFTP. Reached through {@link RemoteSources#directory}.
 *
 * <p>SFTP (version 3, all OpenSSH offers) gives type, permission bits, size, uid, gid, atime and mtime to the
 * second; owner names and link counts come from the listing's long form when the server provides it. It has no
 * inode, device or ctime: inode and device are 0 and ctime is set to mtime, so that unchanged files look unchanged
 * from one backup to the next. File content is read in chunks, each on any free channel, so a connection lost in the
 * middle of a file is resumed at the same offset on a new one. A connection that cannot be re-established within the
 * retry policy fails the whole source with a {@link SourceFailedException}, so no snapshot claims a complete copy.
 */
final class RemoteDirectorySource implements SnapshotSource {
    private static final int CHUNK = 1024 * 1024;
    private static final int IO_BUFFER = 64 * 1024;

    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;
    private static final int S_IFLNK = 0120000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFBLK = 0060000;
    private static final int S_IFDIR = 0040000;
    private static final int S_IFCHR = 0020000;
    private static final int S_IFIFO = 0010000;

    private final SftpChannels channels;
    private final String remotePath;
    private final String snapshotPath;
    private final PathFilter excludes;
    private final PathFilter includes;
    private final ZoneId zone;

    /**
     * Runs one SFTP call; a connection that stays lost after the retries fails the whole source, while a refusal
     * about one entry (missing, permission denied) stays that entry's error and the walk goes on.
     */
    private <T> T call(String what, String path, SftpChannels.Call<T> call) throws IOException {
        try {
            return channels.call(what, path, call);
        } catch (SshConnectionException e) {
            throw new SourceFailedException("lost the connection to " + channels.connection().destination()
                    + " while reading " + path + ": " + e.getMessage(), e);
        }
    }

    RemoteDirectorySource(SshConnection connection, String remotePath, String snapshotPath, PathFilter excludes,
            PathFilter includes, ZoneId zone) {
        this.channels = new SftpChannels(connection, connection.config().sftpChannels());
        this.remotePath = remotePath;
        this.snapshotPath = snapshotPath;
        this.excludes = excludes;
        this.includes = includes;
        this.zone = zone;
    }

    @Override
    public String path() {
        return snapshotPath;
    }

    @Override
    public SourceEntry root() throws IOException {
        String name = snapshotPath.substring(snapshotPath.lastIndexOf('/') + 1);
        Node meta = call("stat " + remotePath, remotePath, (sftp, attempt) -> {
            Attributes a = sftp.stat(remotePath); // the root itself is followed if it is a symlink
            return node(sftp, name, remotePath, a, null);
        });
        return new Entry(meta, remotePath, snapshotPath);
    }

    @Override
    public Optional<Node> ancestor(String absolutePath, String name) {
        // Parents above the root exist on the remote side only if the snapshot path mirrors the remote path.
        if (!snapshotPath.equals(remotePath) || !remotePath.startsWith(absolutePath + "/")) {
            return Optional.empty();
        }
        try {
            return Optional.of(channels.call("stat " + absolutePath, absolutePath,
                    (sftp, attempt) -> node(sftp, name, absolutePath, sftp.stat(absolutePath), null)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Node node(SftpClient sftp, String name, String path, Attributes a, String longName) throws IOException {
        int perms = a.getPermissions();
        NodeType type = switch (perms & S_IFMT) {
            case S_IFDIR -> NodeType.DIR;
            case S_IFREG -> NodeType.FILE;
            case S_IFLNK -> NodeType.SYMLINK;
            case S_IFBLK -> NodeType.DEV;
            case S_IFCHR -> NodeType.CHARDEV;
            case S_IFIFO -> NodeType.FIFO;
            case S_IFSOCK -> NodeType.SOCKET;
            default -> a.isDirectory() ? NodeType.DIR : a.isRegularFile() ? NodeType.FILE
                    : a.isSymbolicLink() ? NodeType.SYMLINK : NodeType.IRREGULAR;
        };
        OffsetDateTime mtime = time(a.getModifyTime() == null ? 0 : a.getModifyTime().to(TimeUnit.SECONDS));
        OffsetDateTime atime = a.getAccessTime() == null ? mtime : time(a.getAccessTime().to(TimeUnit.SECONDS));
        Node.Builder b = Node.builder(name, type).unixMode(perms & 07777).mtime(mtime).atime(atime).ctime(mtime)
                .owner(a.getUserId(), a.getGroupId());
        if (type == NodeType.FILE) {
            b.size(a.getSize());
        }
        if (type == NodeType.SYMLINK) {
            b.linkTarget(sftp.readLink(path));
        }
        if (longName != null) {
            // "-rw-r--r--    1 alice    staff   1234 Jan  1 12:00 name" from OpenSSH and MINA.
            String[] f = longName.trim().split("\\s+");
            if (f.length >= 4 && f[0].length() >= 10) {
                try {
                    b.inode(0, 0, Long.parseLong(f[1]));
                } catch (NumberFormatException ignored) {
                    // a server with another long-name format: leave the link count unknown
                }
                if (!f[2].matches("\\d+") || !f[3].matches("\\d+")) {
                    b.ownerNames(f[2], f[3]);
                }
            }
        }
        return b.build();
    }

    private OffsetDateTime time(long epochSeconds) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(epochSeconds), zone);
    }

    private boolean excluded(String snapPath, NodeType type) {
        if (excludes.matches(snapPath)) {
            return true;
        }
        return type != NodeType.DIR && !includes.isEmpty() && !includes.matchesOrUnder(snapPath);
    }

    /** One remote entry; children and content are fetched when the engine asks. */
    private final class Entry implements SourceEntry {
        private final Node meta;
        private final String remote;
        private final String snap;

        Entry(Node meta, String remote, String snap) {
            this.meta = meta;
            this.remote = remote;
            this.snap = snap;
        }

        @Override
        public Node metadata() {
            return meta;
        }

        @Override
        public List<SourceEntry> children() throws IOException {
            return call("list " + remote, remote, (sftp, attempt) -> {
                List<SourceEntry> out = new ArrayList<>();
                try (CloseableHandle h = sftp.openDir(remote)) {
                    for (List<DirEntry> batch; (batch = sftp.readDir(h)) != null;) {
                        for (DirEntry e : batch) {
                            String n = e.getFilename();
                            if (n.equals(".") || n.equals("..")) {
                                continue;
                            }
                            String childRemote = remote.endsWith("/") ? remote + n : remote + "/" + n;
                            String childSnap = snap + "/" + n;
                            Node m = node(sftp, n, childRemote, e.getAttributes(), e.getLongFilename());
                            if (!excluded(childSnap, m.type())) {
                                out.add(new Entry(m, childRemote, childSnap));
                            }
                        }
                    }
                }
                return out;
            });
        }

        @Override
        public InputStream open() {
            return new ChunkedStream(remote);
        }
    }

    /** Reads a remote file one chunk per call, so each chunk is retried on its own after a lost connection. */
    private final class ChunkedStream extends InputStream {
        private final String remote;
        private byte[] chunk = new byte[0];
        private int pos;
        private long offset;
        private boolean eof;

        ChunkedStream(String remote) {
            this.remote = remote;
        }

        private boolean fill() throws IOException {
            while (pos >= chunk.length && !eof) {
                long at = offset;
                chunk = call("read " + remote, remote, (sftp, attempt) -> readChunk(sftp, at));
                pos = 0;
                offset += chunk.length;
                eof = chunk.length < CHUNK;
            }
            return pos < chunk.length;
        }

        private byte[] readChunk(SftpClient sftp, long at) throws IOException {
            try (CloseableHandle h = sftp.open(remote, OpenMode.Read);
                    InputStream in = new SftpInputStreamAsync((AbstractSftpClient) sftp, IO_BUFFER, at, at + CHUNK,
                            remote, h, false)) {
                byte[] buf = new byte[CHUNK];
                int got = 0;
                while (got < CHUNK) {
                    int r = in.read(buf, got, CHUNK - got);
                    if (r < 0) {
                        break;
                    }
                    got += r;
                }
                return got == CHUNK ? buf : java.util.Arrays.copyOf(buf, got);
            }
        }

        @Override
        public int read() throws IOException {
            return fill() ? chunk[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, chunk.length - pos);
            System.arraycopy(chunk, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public void close() {
            eof = true;
            chunk = new byte[0];
        }
    }
}
