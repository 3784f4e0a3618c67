package dev.backup4j.examples.lms;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Runnable example: backs up an LMS's courses straight from its storage, then restores one course.
 * {@code java -cp backup.jar dev.backup4j.examples.lms.CourseBackupExample [DIR]}
 */
public final class CourseBackupExample {
    private CourseBackupExample() {
    }

    /** Runs the example under DIR (default: a temp folder). */
    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("lms-example-");
        Clock clock = Clock.systemDefaultZone();
        CourseStore store = new CourseStore() {
            @Override
            public List<Course> courses() {
                return List.of(new Course("42", "Intro to Databases"), new Course("77", "Ethics & AI"));
            }

            @Override
            public List<Entry> entries(String courseId) {
                return List.of(new Entry("lesson-1.md", text(courseId).length, Instant.parse("2026-09-01T08:00:00Z")));
            }

            @Override
            public InputStream open(String courseId, String entryName) {
                return new ByteArrayInputStream(text(courseId));
            }

            private byte[] text(String courseId) {
                return ("# Course " + courseId + "\n").getBytes(StandardCharsets.UTF_8);
            }
        };
        try (Repository repo = Repository.at(Backends.local(dir.resolve("repo"))).password("example").clock(clock)
                .init()) {
            BackupResult r = repo.backup().source(new CourseSource(store, clock)).tag("courses").run();
            System.out.println("snapshot " + r.snapshot().requireId().shortString() + ": " + r.files() + " entries");
            repo.restore("latest").target(dir.resolve("restore")).include("/lms/courses/42-*").run();
            System.out.println("course 42 restored under " + dir.resolve("restore/lms/courses"));
        }
    }
}
