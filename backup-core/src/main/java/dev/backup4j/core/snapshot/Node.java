package dev.backup4j.core.snapshot;

import dev.backup4j.core.common.Id;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One entry of a tree: a file, directory, symlink or special file, with the metadata restic stores for it.
 *
 * <p>{@code mode} is in restic's encoding (Go's {@code os.FileMode}: permission bits plus type bits such as
 * {@link #MODE_DIR} and {@link #MODE_SYMLINK}); {@link #permissions()} gives the Unix permission bits. Times keep the
 * UTC offset they were recorded with, as restic does. Instances are immutable; make them with {@link #builder}.
 *
 * <pre>{@code
 * Node n = Node.builder("report.txt", NodeType.FILE).mode(0644).size(12).content(List.of(blobId)).build();
 * }</pre>
 */
public final class Node {
    /** Go's {@code os.ModeDir}. */
    public static final long MODE_DIR = 1L << 31;
    /** Go's {@code os.ModeSymlink}. */
    public static final long MODE_SYMLINK = 1L << 27;
    /** Go's {@code os.ModeDevice}. */
    public static final long MODE_DEVICE = 1L << 26;
    /** Go's {@code os.ModeNamedPipe}. */
    public static final long MODE_NAMED_PIPE = 1L << 25;
    /** Go's {@code os.ModeSocket}. */
    public static final long MODE_SOCKET = 1L << 24;
    /** Go's {@code os.ModeSetuid}. */
    public static final long MODE_SETUID = 1L << 23;
    /** Go's {@code os.ModeSetgid}. */
    public static final long MODE_SETGID = 1L << 22;
    /** Go's {@code os.ModeCharDevice}. */
    public static final long MODE_CHAR_DEVICE = 1L << 21;
    /** Go's {@code os.ModeSticky}. */
    public static final long MODE_STICKY = 1L << 20;

    private static final OffsetDateTime EPOCH = OffsetDateTime.ofInstant(Instant.EPOCH, ZoneOffset.UTC);

    private final String name;
    private final NodeType type;
    private final long mode;
    /*
     * Times as seconds, nanoseconds and offset seconds rather than OffsetDateTime objects (four objects, 96 bytes,
     * each): a restore plan holds every node of the snapshot, and the three times were a third of its heap.
     */
    private final long mtimeSeconds;
    private final long atimeSeconds;
    private final long ctimeSeconds;
    private final int mtimeNanos;
    private final int atimeNanos;
    private final int ctimeNanos;
    private final int mtimeOffset;
    private final int atimeOffset;
    private final int ctimeOffset;
    private final long uid;
    private final long gid;
    private final String user;
    private final String group;
    private final long inode;
    private final long deviceId;
    private final long size;
    private final long links;
    private final String linkTarget;
    private final long device;
    private final List<ExtendedAttribute> extendedAttributes;
    private final List<Id> content;
    private final Id subtree;
    private final String error;
    private final Map<String, String> unknownFields;

    private Node(Builder b) {
        this.name = b.name;
        this.type = b.type;
        this.mode = b.mode;
        this.mtimeSeconds = b.mtime.toEpochSecond();
        this.mtimeNanos = b.mtime.getNano();
        this.mtimeOffset = b.mtime.getOffset().getTotalSeconds();
        this.atimeSeconds = b.atime.toEpochSecond();
        this.atimeNanos = b.atime.getNano();
        this.atimeOffset = b.atime.getOffset().getTotalSeconds();
        this.ctimeSeconds = b.ctime.toEpochSecond();
        this.ctimeNanos = b.ctime.getNano();
        this.ctimeOffset = b.ctime.getOffset().getTotalSeconds();
        this.uid = b.uid;
        this.gid = b.gid;
        this.user = b.user;
        this.group = b.group;
        this.inode = b.inode;
        this.deviceId = b.deviceId;
        this.size = b.size;
        this.links = b.links;
        this.linkTarget = b.linkTarget;
        this.device = b.device;
        this.extendedAttributes = b.extendedAttributes;
        this.content = List.copyOf(b.content);
        this.subtree = b.subtree;
        this.error = b.error;
        this.unknownFields = b.unknownFields;
    }

    /**
     * True if {@code name} can be an entry of a tree: not empty, not {@code .} or {@code ..}, without '/' or NUL,
     * so that joining it to a directory path never leaves that directory. Backup refuses other names from sources;
     * restore refuses them in snapshots.
     */
    public static boolean isSafeName(String name) {
        return !name.isEmpty() && !name.equals(".") && !name.equals("..") && name.indexOf('/') < 0
                && name.indexOf('\0') < 0;
    }

    /** Starts a node with the given name and type; every other field starts empty or zero. */
    public static Builder builder(String name, NodeType type) {
        return new Builder(name, type);
    }

    /** A builder initialised with this node's fields, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(name, type);
        b.mode = mode;
        b.mtime = mtime();
        b.atime = atime();
        b.ctime = ctime();
        b.uid = uid;
        b.gid = gid;
        b.user = user;
        b.group = group;
        b.inode = inode;
        b.deviceId = deviceId;
        b.size = size;
        b.links = links;
        b.linkTarget = linkTarget;
        b.device = device;
        b.extendedAttributes = extendedAttributes;
        b.content = content;
        b.subtree = subtree;
        b.error = error;
        b.unknownFields = unknownFields;
        return b;
    }

    /**
     * The entry's name inside its directory (not a path): a byte string held as {@link FileNames} describes (bytes
     * that are not UTF-8 are lone surrogates {@code U+DC80..U+DCFF}).
     */
    public String name() {
        return name;
    }

    /** The kind of entry. */
    public NodeType type() {
        return type;
    }

    /** The mode in restic's (Go's) encoding. */
    public long mode() {
        return mode;
    }

    /** The Unix permission bits including setuid, setgid and sticky (e.g. {@code 04755}). */
    public int permissions() {
        int p = (int) (mode & 0777);
        if ((mode & MODE_SETUID) != 0) {
            p |= 04000;
        }
        if ((mode & MODE_SETGID) != 0) {
            p |= 02000;
        }
        if ((mode & MODE_STICKY) != 0) {
            p |= 01000;
        }
        return p;
    }

    /** Modification time with the offset it was recorded in. */
    public OffsetDateTime mtime() {
        return time(mtimeSeconds, mtimeNanos, mtimeOffset);
    }

    /** Access time with the offset it was recorded in. */
    public OffsetDateTime atime() {
        return time(atimeSeconds, atimeNanos, atimeOffset);
    }

    /** Status change time with the offset it was recorded in. */
    public OffsetDateTime ctime() {
        return time(ctimeSeconds, ctimeNanos, ctimeOffset);
    }

    private static OffsetDateTime time(long seconds, int nanos, int offset) {
        return OffsetDateTime.ofInstant(Instant.ofEpochSecond(seconds, nanos), ZoneOffset.ofTotalSeconds(offset));
    }

    /** Owner's numeric id. */
    public long uid() {
        return uid;
    }

    /** Group's numeric id. */
    public long gid() {
        return gid;
    }

    /** Owner's name, or "" if unknown. */
    public String user() {
        return user;
    }

    /** Group's name, or "" if unknown. */
    public String group() {
        return group;
    }

    /** Inode number, 0 if unknown. */
    public long inode() {
        return inode;
    }

    /** Id of the device holding the entry ({@code st_dev}), 0 if unknown. */
    public long deviceId() {
        return deviceId;
    }

    /** Size in bytes of a file's content. */
    public long size() {
        return size;
    }

    /** Number of hard links, 0 if unknown. */
    public long links() {
        return links;
    }

    /** A symlink's target, or "" for other types; a byte string like {@link #name()}. */
    public String linkTarget() {
        return linkTarget;
    }

    /** A device node's {@code st_rdev}, 0 for other types. */
    public long device() {
        return device;
    }

    /** The extended attributes restic keeps ({@code extended_attributes}), in the order recorded. */
    public List<ExtendedAttribute> extendedAttributes() {
        return extendedAttributes;
    }

    /**
     * Fields of the node's JSON that this version does not know (written by a newer restic), by name, each as its
     * JSON text: they are written back as they were, so nothing is silently dropped when a tree is written again.
     */
    public Map<String, String> unknownFields() {
        return unknownFields;
    }

    /** A file's data blobs in order (empty for an empty file and for other types). */
    public List<Id> content() {
        return content;
    }

    /** A directory's tree blob. */
    public Optional<Id> subtree() {
        return Optional.ofNullable(subtree);
    }

    /** An error recorded while reading the entry, or "". */
    public String error() {
        return error;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Node n)) {
            return false;
        }
        return mode == n.mode && uid == n.uid && gid == n.gid && inode == n.inode && deviceId == n.deviceId
                && size == n.size && links == n.links && device == n.device && name.equals(n.name) && type == n.type
                && mtimeSeconds == n.mtimeSeconds && mtimeNanos == n.mtimeNanos && mtimeOffset == n.mtimeOffset
                && atimeSeconds == n.atimeSeconds && atimeNanos == n.atimeNanos && atimeOffset == n.atimeOffset
                && ctimeSeconds == n.ctimeSeconds && ctimeNanos == n.ctimeNanos && ctimeOffset == n.ctimeOffset
                && user.equals(n.user)
                && group.equals(n.group) && linkTarget.equals(n.linkTarget) && content.equals(n.content)
                && Objects.equals(subtree, n.subtree) && error.equals(n.error)
                && extendedAttributes.equals(n.extendedAttributes) && unknownFields.equals(n.unknownFields);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, type, mode, mtimeSeconds, mtimeNanos, size, content, subtree);
    }

    @Override
    public String toString() {
        return type + " " + name + " mode=" + Long.toOctalString(mode & 07777) + " size=" + size;
    }

    /** Builds a {@link Node}. Not thread-safe; {@link #build()} may be called once or many times. */
    public static final class Builder {
        private final String name;
        private final NodeType type;
        private long mode;
        private OffsetDateTime mtime = EPOCH;
        private OffsetDateTime atime = EPOCH;
        private OffsetDateTime ctime = EPOCH;
        private long uid;
        private long gid;
        private String user = "";
        private String group = "";
        private long inode;
        private long deviceId;
        private long size;
        private long links;
        private String linkTarget = "";
        private long device;
        private List<ExtendedAttribute> extendedAttributes = List.of();
        private List<Id> content = List.of();
        private Id subtree;
        private String error = "";
        private Map<String, String> unknownFields = Map.of();

        private Builder(String name, NodeType type) {
            this.name = FileNames.canonical(Objects.requireNonNull(name, "name"));
            this.type = Objects.requireNonNull(type, "type");
        }

        /** The mode in restic's encoding; see {@link #unixMode(int)} to set it from {@code st_mode}. */
        public Builder mode(long mode) {
            this.mode = mode;
            return this;
        }

        /**
         * Sets the mode from Unix permission bits ({@code 07777} part of {@code st_mode}), adding the type bit
         * restic expects for this node's type.
         */
        public Builder unixMode(int unixPermissions) {
            long m = unixPermissions & 0777;
            if ((unixPermissions & 04000) != 0) {
                m |= MODE_SETUID;
            }
            if ((unixPermissions & 02000) != 0) {
                m |= MODE_SETGID;
            }
            if ((unixPermissions & 01000) != 0) {
                m |= MODE_STICKY;
            }
            m |= switch (type) {
                case DIR -> MODE_DIR;
                case SYMLINK -> MODE_SYMLINK;
                case DEV -> MODE_DEVICE;
                case CHARDEV -> MODE_DEVICE | MODE_CHAR_DEVICE;
                case FIFO -> MODE_NAMED_PIPE;
                case SOCKET -> MODE_SOCKET;
                default -> 0L;
            };
            this.mode = m;
            return this;
        }

        /** Modification time. */
        public Builder mtime(OffsetDateTime t) {
            this.mtime = Objects.requireNonNull(t);
            return this;
        }

        /** Access time. */
        public Builder atime(OffsetDateTime t) {
            this.atime = Objects.requireNonNull(t);
            return this;
        }

        /** Status change time. */
        public Builder ctime(OffsetDateTime t) {
            this.ctime = Objects.requireNonNull(t);
            return this;
        }

        /** Numeric owner and group. */
        public Builder owner(long uid, long gid) {
            this.uid = uid;
            this.gid = gid;
            return this;
        }

        /** Owner and group names. */
        public Builder ownerNames(String user, String group) {
            this.user = Objects.requireNonNull(user);
            this.group = Objects.requireNonNull(group);
            return this;
        }

        /** Inode, device id and hard link count. */
        public Builder inode(long inode, long deviceId, long links) {
            this.inode = inode;
            this.deviceId = deviceId;
            this.links = links;
            return this;
        }

        /** Content size in bytes. */
        public Builder size(long size) {
            this.size = size;
            return this;
        }

        /** Symlink target (a byte string like the name). */
        public Builder linkTarget(String target) {
            this.linkTarget = FileNames.canonical(Objects.requireNonNull(target));
            return this;
        }

        /** Extended attributes, in the order to record them. */
        public Builder extendedAttributes(List<ExtendedAttribute> attributes) {
            this.extendedAttributes = List.copyOf(attributes);
            return this;
        }

        /**
         * JSON fields this version does not know, by name, each as its JSON text, to be written back unchanged.
         *
         * @throws IllegalArgumentException if a name is one this version writes itself
         */
        public Builder unknownFields(Map<String, String> fields) {
            for (String f : fields.keySet()) {
                if (Tree.KNOWN_FIELDS.contains(f)) {
                    throw new IllegalArgumentException("'" + f + "' is a known node field");
                }
            }
            this.unknownFields = fields.isEmpty() ? Map.of()
                    : java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(fields));
            return this;
        }

        /** Device node number ({@code st_rdev}). */
        public Builder device(long rdev) {
            this.device = rdev;
            return this;
        }

        /** Data blobs of a file, in order. */
        public Builder content(List<Id> ids) {
            this.content = List.copyOf(ids);
            return this;
        }

        /** The tree blob of a directory. */
        public Builder subtree(Id id) {
            this.subtree = Objects.requireNonNull(id);
            return this;
        }

        /** An error met while reading the entry. */
        public Builder error(String message) {
            this.error = Objects.requireNonNull(message);
            return this;
        }

        /** The immutable node. */
        public Node build() {
            return new Node(this);
        }
    }
}
