package dev.backup4j.examples.lms;

import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SourceEntry;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Presents an LMS's courses as a directory tree in a snapshot: {@code /lms/courses/<id>-<slug>/<entry>}. Each
 * course can then be restored on its own ({@code restore latest --include /lms/courses/42-*}), and unchanged
 * entries (same size and modification time) are not read again on the next backup.
 *
 * <pre>{@code
 * repo.backup().source(new CourseSource(store, clock)).tag("courses").run();
 * }</pre>
 */
public final class CourseSource implements SnapshotSource {
    private final CourseStore store;
    private final Clock clock;

    /** A source over {@code store}; the clock stamps the directories. */
    public CourseSource(CourseStore store, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String path() {
        return "/lms/courses";
    }

    /** The directory name of a course: its id, then a slug of its title (names stay valid path elements). */
    public static String directoryName(CourseStore.Course c) {
        String slug = c.title().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("(^-|-$)", "");
        return c.id() + (slug.isEmpty() ? "" : "-" + slug);
    }

    @Override
    public SourceEntry root() {
        OffsetDateTime now = OffsetDateTime.now(clock);
        Node meta = Node.builder("courses", NodeType.DIR).unixMode(0750).mtime(now).atime(now).ctime(now).build();
        return new Dir(meta, () -> {
            List<SourceEntry> out = new ArrayList<>();
            for (CourseStore.Course c : store.courses()) {
                Node cm = Node.builder(directoryName(c), NodeType.DIR).unixMode(0750).mtime(now).atime(now)
                        .ctime(now).build();
                out.add(new Dir(cm, () -> entries(c.id())));
            }
            return out;
        });
    }

    private List<SourceEntry> entries(String courseId) throws IOException {
        List<SourceEntry> out = new ArrayList<>();
        for (CourseStore.Entry e : store.entries(courseId)) {
            OffsetDateTime t = OffsetDateTime.ofInstant(e.modified(), ZoneOffset.UTC);
            Node meta = Node.builder(e.name(), NodeType.FILE).unixMode(0640).mtime(t).atime(t).ctime(t)
                    .size(e.size()).build();
            out.add(new SourceEntry() {
                @Override
                public Node metadata() {
                    return meta;
                }

                @Override
                public List<SourceEntry> children() {
                    throw new UnsupportedOperationException("an entry has no children");
                }

                @Override
                public InputStream open() throws IOException {
                    return store.open(courseId, e.name());
                }
            });
        }
        return out;
    }

    /** Lists children lazily. */
    @FunctionalInterface
    private interface Lister {
        List<SourceEntry> list() throws IOException;
    }

    private static final class Dir implements SourceEntry {
        private final Node meta;
        private final Lister lister;

        Dir(Node meta, Lister lister) {
            this.meta = meta;
            this.lister = lister;
        }

        @Override
        public Node metadata() {
            return meta;
        }

        @Override
        public List<SourceEntry> children() throws IOException {
            return lister.list();
        }

        @Override
        public InputStream open() {
            throw new UnsupportedOperationException("a directory has no content");
        }
    }
}
