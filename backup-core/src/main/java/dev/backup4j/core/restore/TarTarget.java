package dev.backup4j.core.restore;

import dev.backup4j.core.snapshot.ExtendedAttribute;
import dev.backup4j.core.snapshot.FileNames;
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
            case FIFO -> entry(path, node, '6', 0, "", null);
            case CHARDEV -> entry(path, node, '3', 0, "", null);
            case DEV -> entry(path, node, '4', 0, "", null);
            default -> throw new IOException("cannot store " + node.type() + " entries in a tar stream");
        }
    }

    @Override
    public void hardLink(String path, String existing, Node node) throws IOException {
        entry(path, node, '1', 0, existing.substring(1), null);
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
        byte[] name = FileNames.encode(path.substring(1));
        byte[] linkBytes = FileNames.encode(link);
        Instant mtime = node.mtime().toInstant();
        Map<String, byte[]> pax = new LinkedHashMap<>();
        boolean binary = FileNames.hasRawBytes(path) || FileNames.hasRawBytes(link);
        if (binary) {
            pax.put("hdrcharset", "BINARY".getBytes(StandardCharsets.US_ASCII)); // names that are not UTF-8
        }
        if (name.length > 100 || !ascii(name)) {
            pax.put("path", name);
        }
        if (linkBytes.length > 100 || !ascii(linkBytes)) {
            pax.put("linkpath", linkBytes);
        }
        if (size > 077777777777L) {
            pax.put("size", ascii(Long.toString(size)));
        }
        if (mtime.getNano() != 0 || mtime.getEpochSecond() < 0) {
            pax.put("mtime", ascii(Metadata.seconds(mtime)));
        }
        for (ExtendedAttribute a : node.extendedAttributes()) {
            pax.put("SCHILY.xattr." + a.name(), a.value()); // GNU tar's and bsdtar's form
        }
        synchronized (lock) {
            if (closed) {
                throw new IOException("the tar stream is closed");
            }
            if (!pax.isEmpty()) {
                byte[] records = paxRecords(pax);
                out.write(header(("PaxHeaders/" + tail(path)).getBytes(StandardCharsets.US_ASCII), 0644, 0, 0, "",
                        "", records.length, 0, 'x', new byte[0], 0));
                out.write(records);
                pad(records.length);
            }
            out.write(header(name, node.permissions(), node.uid(), node.gid(), node.user(), node.group(),
                    size > 077777777777L ? 0 : size, Math.max(0, mtime.getEpochSecond()), type, linkBytes,
                    type == '3' || type == '4' ? node.device() : 0));
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

    private static String tail(String path) {
        String n = path.substring(path.lastIndexOf('/') + 1);
        return ascii(n.getBytes(StandardCharsets.UTF_8)) && n.length() <= 80 ? n : "entry";
    }

    private static boolean ascii(byte[] b) {
        for (byte x : b) {
            if (x < 0x20 || x >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void pad(long size) throws IOException {
        int rem = (int) (size % BLOCK);
        if (rem != 0) {
            out.write(new byte[BLOCK - rem]);
        }
    }

    /** PAX records: "LEN KEY=VALUE\n", LEN counting itself; values are bytes (raw names, attribute values). */
    private static byte[] paxRecords(Map<String, byte[]> pax) {
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (Map.Entry<String, byte[]> e : pax.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            int bodyLen = 1 + key.length + 1 + e.getValue().length + 1;
            int len = bodyLen + 1;
            while (len != bodyLen + Integer.toString(len).length()) {
                len = bodyLen + Integer.toString(len).length();
            }
            b.writeBytes(ascii(len + " "));
            b.writeBytes(key);
            b.write('=');
            b.writeBytes(e.getValue());
            b.write('\n');
        }
        return b.toByteArray();
    }

    private static byte[] header(byte[] name, int mode, long uid, long gid, String user, String group, long size,
            long mtime, char type, byte[] link, long device) {
        byte[] h = new byte[BLOCK];
        put(h, 0, 100, name.length <= 100 ? name : truncate(name, 100));
        octal(h, 100, 8, mode & 07777);
        octal(h, 108, 8, uid <= 07777777 ? uid : 0);
        octal(h, 116, 8, gid <= 07777777 ? gid : 0);
        octal(h, 124, 12, size);
        octal(h, 136, 12, Math.min(mtime, 077777777777L));
        h[156] = (byte) type;
        put(h, 157, 100, link.length <= 100 ? link : truncate(link, 100));
        put(h, 257, 6, ascii("ustar"));
        put(h, 263, 2, ascii("00"));
        put(h, 265, 32, truncate(user.getBytes(StandardCharsets.UTF_8), 32));
        put(h, 297, 32, truncate(group.getBytes(StandardCharsets.UTF_8), 32));
        if (type == '3' || type == '4') {
            octal(h, 329, 8, (device >>> 8) & 0xfff | (device >>> 32) & ~0xfffL);
            octal(h, 337, 8, device & 0xff | (device >>> 12) & ~0xffL);
        }
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 6, ascii(String.format("%06o", sum)));
        h[154] = 0;
        h[155] = ' ';
        return h;
    }

    /** At most {@code max} bytes, non-ASCII ones as '_' (the full value is in a PAX record). */
    private static byte[] truncate(byte[] b, int max) {
        if (b.length <= max) {
            return b;
        }
        byte[] out = java.util.Arrays.copyOf(b, max);
        for (int i = 0; i < max; i++) {
            if (out[i] < 0x20 || out[i] >= 0x7f) {
                out[i] = '_';
            }
        }
        return out;
    }

    private static void put(byte[] h, int off, int len, byte[] b) {
        System.arraycopy(b, 0, h, off, Math.min(len, b.length));
    }

    private static void octal(byte[] h, int off, int len, long v) {
        put(h, off, len - 1, ascii(String.format("%0" + (len - 1) + "o", v)));
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
