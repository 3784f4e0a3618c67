package dev.backup4j.core.browse;

import dev.backup4j.core.common.Id;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.repository.OpenRepository;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;

/**
 * A file's content, one data blob in memory at a time: each blob is loaded (and verified against its hash) when the
 * reader reaches it. {@link #skip} passes over whole blobs without loading them when the index knows their size.
 * Not thread-safe, as streams are not.
 */
final class ContentStream extends InputStream {
    private static final byte[] NONE = new byte[0];

    private final OpenRepository repo;
    private final List<Id> blobs;
    private final String path;
    private int next;
    private byte[] current = NONE;
    private int pos;
    private boolean closed;

    ContentStream(OpenRepository repo, List<Id> blobs, String path) {
        this.repo = repo;
        this.blobs = blobs;
        this.path = path;
    }

    /** Loads blobs until one has unread bytes; false at the end of the content. */
    private boolean fill() throws IOException {
        if (closed) {
            throw new IOException("stream of " + path + " is closed");
        }
        while (pos >= current.length) {
            if (next >= blobs.size()) {
                current = NONE;
                pos = 0;
                return false;
            }
            current = repo.loadBlob(BlobType.DATA, blobs.get(next++));
            pos = 0;
        }
        return true;
    }

    @Override
    public int read() throws IOException {
        return fill() ? current[pos++] & 0xFF : -1;
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
        int n = Math.min(len, current.length - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        if (closed) {
            throw new IOException("stream of " + path + " is closed");
        }
        long left = n;
        while (left > 0) {
            int inCurrent = current.length - pos;
            if (inCurrent > 0) {
                int k = (int) Math.min(left, inCurrent);
                pos += k;
                left -= k;
                continue;
            }
            if (next >= blobs.size()) {
                break;
            }
            Optional<Index.Location> loc = repo.index().find(BlobType.DATA, blobs.get(next));
            if (loc.isPresent() && loc.get().blob().plaintextLength() <= left) {
                left -= loc.get().blob().plaintextLength(); // passed over without reading it
                next++;
            } else if (!fill()) {
                break;
            }
        }
        return n - left;
    }

    @Override
    public int available() {
        return closed ? 0 : current.length - pos;
    }

    @Override
    public void close() {
        closed = true;
        current = NONE;
    }
}
