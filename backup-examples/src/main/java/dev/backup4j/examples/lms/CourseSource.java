package dev.backup4j.examples.lms;

import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SourceEntries;
import dev.backup4j.core.snapshot.SourceEntry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Presents an LMS's courses as a directory tree in a snapshot: {@code /lms/courses/<id>-<slug>/<entry>}. Each
 * course can then be restored on its own ({@code restore latest --include /lms/courses/42-*}), and unchanged
 * entries (same size and modification time) are not read again on the next backup.
 *
 * <p>Built from {@link SourceEntries}: the store's records give each entry's name, size and modification time, and
 * the store opens its content. An entry whose content is not as long as the store says is stored as read and reported
 * as an error of the backup (the snapshot is marked incomplete), so a store whose records lag behind its files shows
 * up in the backup report. If the store cannot list its courses at all, the backup fails
 * ({@code FailurePolicy.FAIL_BACKUP}, the default of custom sources): no snapshot claims to hold the courses.
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
        Instant now = clock.instant();
        return SourceEntries.directory("courses", now, 0750, () -> {
            List<SourceEntry> out = new ArrayList<>();
            for (CourseStore.Course c : store.courses()) {
                out.add(SourceEntries.directory(directoryName(c), now, 0750, () -> entries(c.id())));
            }
            return out;
        });
    }

    /** A course's entries, read from the store only if their size or modification time changed. */
    private List<SourceEntry> entries(String courseId) throws IOException {
        List<SourceEntry> out = new ArrayList<>();
        for (CourseStore.Entry e : store.entries(courseId)) {
            out.add(SourceEntries.file(e.name(), e.size(), e.modified(), 0640, () -> store.open(courseId, e.name())));
        }
        return out;
    }
}
