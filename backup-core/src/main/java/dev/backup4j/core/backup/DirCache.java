package dev.backup4j.core.backup;

import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.compress.Zstd;
import dev.backup4j.core.repository.RepositoryStore;
import dev.backup4j.core.snapshot.Node;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup's local directory cache: for each directory of a snapshot, a fingerprint of what the walk saw in it
 * (every entry's metadata as it goes into the tree, and each subdirectory's tree id) and the id of the tree stored for
 * it. The next backup with that snapshot as parent reuses a directory's tree when the fingerprint is the same,
 * without loading the parent's tree and comparing entry by entry: the tree would come out the same, by the rule the
 * parent comparison applies to files (size, times and inode unchanged means content unchanged).
 *
 * <p>A cache file belongs to one snapshot of one repository, lives in {@code <cacheDir>/<repository id>/dirs/}
 * named by the snapshot's id, and is sealed with the repository's key (it holds path names). It is used only if
 * <ul>
 *   <li>its snapshot is the backup's parent, so every tree it names is referenced by a snapshot that exists;</li>
 *   <li>every index file that existed when it was written still exists: prune and index repairs replace index files,
 *       so no blob has left the index since;</li>
 *   <li>the backup's settings (includes, excludes, local source options) are the same, and no full re-read is asked
 *       for.</li>
 * </ul>
 * Anything else (no file, a damaged one, another key, stale) means the backup walks as it would without a cache. A
 * directory with an entry that could not be backed up gets no fingerprint, so it is compared entry by entry next time.
 */
final class DirCache {
    private static final Logger LOG = LoggerFactory.getLogger(DirCache.class);
    private static final byte[] MAGIC = "backup4j-dirs-2\n".getBytes(StandardCharsets.US_ASCII);
    static final int FINGERPRINT_LENGTH = 32;

    /**
     * A directory's fingerprints and the tree stored for it. {@code local} covers its entries as listed (a
     * subdirectory by its own metadata), {@code full} adds each subdirectory's resulting node (with its tree id); both
     * are null if the directory must not be reused as is.
     */
    record Entry(byte[] local, byte[] full, Id tree) {
        /** True if the directory's own entries are as recorded (its subdirectories' contents aside). */
        boolean matchesLocal(byte[] fp) {
            return local != null && MessageDigest.isEqual(local, fp);
        }

        /** True if the directory's tree would be the recorded one. */
        boolean matches(byte[] fp) {
            return full != null && MessageDigest.isEqual(full, fp);
        }
    }

    private DirCache() {
    }

    /** The folder of one repository's directory caches, if the repository was opened with a cache directory. */
    static Optional<Path> folder(RepositoryStore repo) {
        return repo.cacheDir().map(d -> d.resolve(repo.config().id()).resolve("dirs"));
    }

    /** A digest of the settings that decide which entries a walk keeps. */
    static byte[] settings(String description) {
        return Id.hash(description.getBytes(StandardCharsets.UTF_8)).toBytes();
    }

    /**
     * The directories recorded by the backup that made {@code snapshot}, by path; empty if there is no usable cache
     * file for it (the reason is logged).
     */
    static Optional<Map<String, Entry>> load(RepositoryStore repo, Id snapshot, byte[] settings) {
        Optional<Path> folder = folder(repo);
        if (folder.isEmpty()) {
            return Optional.empty();
        }
        Path file = folder.get().resolve(snapshot.toString());
        try {
            byte[] plain = repo.open(Files.readAllBytes(file));
            int rawLength = java.nio.ByteBuffer.wrap(plain).getInt();
            if (rawLength < 0 || rawLength > 1 << 30) {
                throw new IOException("bad length " + rawLength);
            }
            byte[] raw = Zstd.decompress(plain, 4, plain.length - 4, rawLength);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(raw));
            byte[] magic = in.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                LOG.info("directory cache {} has an unknown format, walking without it", file);
                return Optional.empty();
            }
            if (!Arrays.equals(in.readNBytes(settings.length), settings)) {
                LOG.info("backup settings changed since snapshot {}: its directory cache is not used",
                        snapshot.shortString());
                return Optional.empty();
            }
            // listed rather than taken from the loaded index, which may still be loading
            Set<String> indexNow = new java.util.HashSet<>();
            for (FileInfo f : repo.backend().list(FileType.INDEX)) {
                indexNow.add(f.name());
            }
            int indexFiles = in.readInt();
            for (int i = 0; i < indexFiles; i++) {
                if (!indexNow.contains(readId(in).toString())) {
                    LOG.info("the index changed (prune or repair) since snapshot {}: its directory cache is not used",
                            snapshot.shortString());
                    return Optional.empty();
                }
            }
            int dirs = in.readInt();
            Map<String, Entry> m = new HashMap<>(dirs * 4 / 3 + 1);
            for (int i = 0; i < dirs; i++) {
                String path = in.readUTF();
                boolean reusable = in.readBoolean();
                byte[] local = reusable ? in.readNBytes(FINGERPRINT_LENGTH) : null;
                byte[] full = reusable ? in.readNBytes(FINGERPRINT_LENGTH) : null;
                m.put(path, new Entry(local, full, readId(in)));
            }
            LOG.debug("directory cache of snapshot {}: {} directories", snapshot.shortString(), dirs);
            return Optional.of(m);
        } catch (NoSuchFileException e) {
            LOG.debug("no directory cache for parent snapshot {}", snapshot.shortString());
        } catch (IOException | RuntimeException e) {
            LOG.info("directory cache {} unusable, walking without it: {}", file, e.toString());
        }
        return Optional.empty();
    }

    private static Id readId(DataInputStream in) throws IOException {
        byte[] b = in.readNBytes(Id.LENGTH);
        if (b.length != Id.LENGTH) {
            throw new java.io.EOFException("truncated id");
        }
        return Id.of(b);
    }

    /**
     * Writes the directories recorded for {@code snapshot}'s backup and deletes the cache files of snapshots not in
     * {@code keep}. Never fails the backup: a cache that cannot be written is logged and skipped.
     */
    static void save(RepositoryStore repo, Id snapshot, byte[] settings, Map<String, Entry> dirs, Collection<Id> keep) {
        Optional<Path> folder = folder(repo);
        if (folder.isEmpty()) {
            return;
        }
        Path dir = folder.get();
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + dirs.size() * 128);
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.write(settings);
            Set<Id> index = repo.indexFiles();
            out.writeInt(index.size());
            for (Id id : index) {
                out.write(id.toBytes());
            }
            out.writeInt(dirs.size());
            for (Map.Entry<String, Entry> e : dirs.entrySet()) {
                out.writeUTF(e.getKey());
                out.writeBoolean(e.getValue().full() != null);
                if (e.getValue().full() != null) {
                    out.write(e.getValue().local());
                    out.write(e.getValue().full());
                }
                out.write(e.getValue().tree().toBytes());
            }
            out.flush();
            byte[] raw = bytes.toByteArray();
            byte[] z = Zstd.compress(raw, 0, raw.length, 1);
            byte[] plain = new byte[4 + z.length];
            java.nio.ByteBuffer.wrap(plain).putInt(raw.length).put(z);
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "tmp-", "");
            try {
                Files.write(tmp, repo.seal(plain));
                try {
                    Files.move(tmp, dir.resolve(snapshot.toString()), StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, dir.resolve(snapshot.toString()), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            LOG.debug("directory cache for snapshot {}: {} directories", snapshot.shortString(), dirs.size());
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot write the directory cache in {}: {}", dir, e.toString());
            return;
        }
        Set<String> names = new java.util.HashSet<>();
        names.add(snapshot.toString());
        keep.forEach(id -> names.add(id.toString()));
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (!names.contains(p.getFileName().toString())) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            LOG.debug("cannot clean the directory cache in {}: {}", dir, e.toString());
        }
    }

    /**
     * Builds a directory's fingerprint from its entries in tree order: each entry's metadata as it goes into the tree,
     * except a file's content list (which the parent snapshot supplies for an unchanged file).
     */
    static final class Fingerprint {
        private Fingerprint() {
        }

        private static final java.lang.invoke.VarHandle LONG = java.lang.invoke.MethodHandles.byteArrayViewVarHandle(
                long[].class, java.nio.ByteOrder.BIG_ENDIAN);
        // one per thread, reused (finish() resets it): a new digest and buffer per directory showed in profiles
        private static final ThreadLocal<Fingerprint> PER_THREAD = ThreadLocal.withInitial(Fingerprint::new);
        private final MessageDigest md = Id.sha256();
        // entries are encoded here and digested 64 KiB at a time: one update call per field cost more than the hash
        private final byte[] buf = new byte[64 * 1024];
        private int at;

        void add(Node n) {
            string(n.name());
            number(n.type().ordinal());
            number(n.mode());
            time(n.mtime());
            time(n.atime());
            time(n.ctime());
            number(n.uid());
            number(n.gid());
            string(n.user());
            string(n.group());
            number(n.inode());
            number(n.deviceId());
            number(n.size());
            number(n.links());
            string(n.linkTarget());
            number(n.device());
            if (n.subtree().isPresent()) {
                number(1);
                room(Id.LENGTH);
                n.subtree().get().copyTo(buf, at);
                at += Id.LENGTH;
            } else {
                number(0);
            }
            string(n.error());
        }

        private Fingerprint reset() {
            md.reset();
            at = 0;
            return this;
        }

        byte[] finish() {
            md.update(buf, 0, at);
            at = 0;
            return md.digest();
        }

        /** The local fingerprint of a directory's entries as listed. */
        static byte[] local(List<Node> entries) {
            Fingerprint f = PER_THREAD.get().reset();
            for (Node n : entries) {
                f.add(n);
            }
            return f.finish();
        }

        /** The full fingerprint: the local one and each subdirectory's resulting node, in order. */
        static byte[] full(byte[] local, List<Node> subdirs) {
            Fingerprint f = PER_THREAD.get().reset();
            f.md.update(local);
            for (Node n : subdirs) {
                f.add(n);
            }
            return f.finish();
        }

        private void room(int n) {
            if (at + n > buf.length) {
                md.update(buf, 0, at);
                at = 0;
            }
        }

        private void time(OffsetDateTime t) {
            // the fields as they are (a time and its offset, as the node's JSON has them): cheaper than an epoch second
            number((long) t.getYear() << 40 | (long) t.getMonthValue() << 32 | (long) t.getDayOfMonth() << 24
                    | (long) t.getHour() << 16 | (long) t.getMinute() << 8 | t.getSecond());
            number((long) t.getNano() << 20 ^ t.getOffset().getTotalSeconds());
        }

        private void string(String s) {
            number(s.length());
            for (int i = 0; i < s.length(); i++) { // UTF-16 code units: every name, even a malformed one, is kept
                room(2);
                char c = s.charAt(i);
                buf[at++] = (byte) (c >> 8);
                buf[at++] = (byte) c;
            }
        }

        private void number(long v) {
            room(8);
            LONG.set(buf, at, v);
            at += 8;
        }
    }

    /** Collects the directories of the running backup; safe for the walk and the blob threads at once. */
    static final class Recorder {
        private final Map<String, Entry> dirs = new ConcurrentHashMap<>();

        /** Records a directory; {@code local} and {@code full} are null if it must not be reused as is. */
        void put(String path, byte[] local, byte[] full, Id tree) {
            dirs.put(path, new Entry(local, full, tree));
        }

        Map<String, Entry> entries() {
            return dirs;
        }
    }
}
