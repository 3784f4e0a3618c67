package dev.backup4j.core.restore;

import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A tar stream target: POSIX ustar headers, with a PAX extended header for names or link targets that do not fit,
 * non-ASCII names, sizes of 8 GiB and more, and sub-second modification times. Files are staged in a temporary file
 * while their blobs arrive in any order, then appended whole; entries are written under a lock.
 */
final class TarTarget implements RestoreTarget {
    private static final int BLOCK = 512;

    private final OutputStream out;
    private final Object lock = new Object();
    private boolean closed;

    TarTarget(OutputStream out) {
        this.out = out;
    }

    @Override
    public Optional<Existing> inspect(String path) {
        return Optional.empty();
    }

    @Override
    public List<String> list(String path) {
        return List.of();
    }

    @Override
    public InputStream read(String path) throws IOException {
        throw new IOException("a tar stream cannot be read back");
    }

    @Override
    public void create(String path, Node node) throws IOException {
        switch (node.type()) {
            case DIR -> entry(path + "/", node, '5', 0, "", null);
            case SYMLINK -> entry(path, node, '2', 0, node.linkTarget(), null);
            default -> throw new IOException("cannot store " + node.type() + " entries in a tar stream");
        }
    }

    @Override
    public FileSink openFile(String path, Node node) throws IOException {
        Path tmp = Files.createTempFile("backup4j-tar", ".part");
        return new FileSink() {
            @Override
            public void write(long offset, byte[] data, int off, int len) throws IOException {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    ByteBuffer b = ByteBuffer.wrap(data, off, len);
                    long pos = offset;
                    while (b.hasRemaining()) {
                        // 1 MiB per call: the JDK keeps a per-thread direct buffer as large as the largest write
                        b.limit(Math.min(off + len, b.position() + 1024 * 1024));
                        pos += ch.write(b, pos);
                        b.limit(off + len);
                    }
                }
            }

            @Override
            public void commit() throws IOException {
                try {
                    long size = Files.size(tmp);
                    if (size != node.size()) {
                        throw new IOException("wrote " + size + " bytes but the snapshot says " + node.size());
                    }
                    entry(path, node, '0', size, "", tmp);
                } finally {
                    abort();
                }
            }

            @Override
            public void abort() {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // a temporary file in the system temp directory; nothing else to do
                }
            }
        };
    }

    @Override
    public void delete(String path) throws IOException {
        throw new IOException("a tar stream cannot delete entries");
    }

    @Override
    public void finishDirectory(String path, Node node) {
        // directory entries carry their metadata already
    }

    private void entry(String path, Node node, char type, long size, String link, Path content) throws IOException {
        String name = path.substring(1);
        Instant mtime = node.mtime().toInstant();
        Map<String, String> pax = new LinkedHashMap<>();
        if (name.length() > 100 || !ascii(name)) {
            pax.put("path", name);
        }
        if (link.length() > 100 || !ascii(link)) {
            pax.put("linkpath", link);
        }
        if (size > 077777777777L) {
            pax.put("size", Long.toString(size));
        }
        if (mtime.getNano() != 0 || mtime.getEpochSecond() < 0) {
            pax.put("mtime", mtime.getEpochSecond() + "." + String.format("%09d", mtime.getNano()));
        }
        synchronized (lock) {
            if (closed) {
                throw new IOException("the tar stream is closed");
            }
            if (!pax.isEmpty()) {
                byte[] records = paxRecords(pax);
                out.write(header("PaxHeaders/" + tail(name), 0644, 0, 0, "", "", records.length, 0, 'x', ""));
                out.write(records);
                pad(records.length);
            }
            out.write(header(name, node.permissions(), node.uid(), node.gid(), node.user(), node.group(),
                    size > 077777777777L ? 0 : size, Math.max(0, mtime.getEpochSecond()), type, link));
            if (content != null) {
                try (InputStream in = Files.newInputStream(content)) {
                    long copied = in.transferTo(out);
                    if (copied != size) {
                        throw new IOException("staged file changed size");
                    }
                }
                pad(size);
            }
        }
    }

    private static String tail(String name) {
        String n = name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        n = n.substring(n.lastIndexOf('/') + 1);
        return ascii(n) && n.length() <= 80 ? n : "entry";
    }

    private static boolean ascii(String s) {
        return s.chars().allMatch(c -> c >= 0x20 && c < 0x7f);
    }

    private void pad(long size) throws IOException {
        int rem = (int) (size % BLOCK);
        if (rem != 0) {
            out.write(new byte[BLOCK - rem]);
        }
    }

    private static byte[] paxRecords(Map<String, String> pax) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : pax.entrySet()) {
            String body = " " + e.getKey() + "=" + e.getValue() + "\n";
            int bodyLen = body.getBytes(StandardCharsets.UTF_8).length;
            int len = bodyLen + 1;
            while (len != bodyLen + Integer.toString(len).length()) {
                len = bodyLen + Integer.toString(len).length();
            }
            b.append(len).append(body);
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] header(String name, int mode, long uid, long gid, String user, String group, long size,
            long mtime, char type, String link) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, truncate(name, 100));
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid <= 07777777 ? uid : 0);
        octal(h, 116, 8, gid <= 07777777 ? gid : 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, Math.min(mtime, 077777777777L));
        h[156] = (byte) type;
        put(h, 157, 100, truncate(link, 100));
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 265, 32, truncate(user, 32));
        put(h, 297, 32, truncate(group, 32));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        String s = String.format("%06o", sum);
        put(h, 148, 6, s);
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    private static String truncate(String s, int max) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= max ? s : new String(b, 0, max, StandardCharsets.US_ASCII).replaceAll("[^ -~]", "_");
    }

    private static void put(byte[] h, int off, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    private static void octal(byte[] h, int off, int len, long v) {
        String s = String.format("%0" + (len - 1) + "o", v);
        put(h, off, len - 1, s);
        h[off + len - 1] = 0;
    }

    @Override
    public void close() throws IOException {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            out.write(new byte[2 * BLOCK]);
            out.close();
        }
    }

    @Override
    public String toString() {
        return "tar stream";
    }
}
