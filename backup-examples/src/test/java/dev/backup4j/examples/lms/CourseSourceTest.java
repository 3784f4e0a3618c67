package dev.backup4j.examples.lms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backup.BackupResult;
import dev.backup4j.core.crypto.KdfParams;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CourseSourceTest {
    @TempDir
    Path tmp;

    /** An in-memory course store that counts how often content is read. */
    static final class MemoryStore implements CourseStore {
        final Map<String, String> titles = new LinkedHashMap<>();
        final Map<String, Map<String, byte[]>> content = new LinkedHashMap<>();
        final Map<String, Instant> modified = new LinkedHashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        /** Sizes the store's records claim, where they differ from the content. */
        final Map<String, Long> recordedSize = new LinkedHashMap<>();

        void put(String course, String entry, String text, Instant when) {
            content.computeIfAbsent(course, c -> new LinkedHashMap<>()).put(entry, text.getBytes(StandardCharsets.UTF_8));
            modified.put(course + "/" + entry, when);
        }

        @Override
        public List<Course> courses() {
            List<Course> out = new ArrayList<>();
            titles.forEach((id, t) -> out.add(new Course(id, t)));
            return out;
        }

        @Override
        public List<Entry> entries(String courseId) {
            List<Entry> out = new ArrayList<>();
            content.getOrDefault(courseId, Map.of()).forEach((name, data) -> out.add(new Entry(name,
                    recordedSize.getOrDefault(courseId + "/" + name, (long) data.length),
                    modified.get(courseId + "/" + name))));
            return out;
        }

        @Override
        public InputStream open(String courseId, String entryName) {
            reads.incrementAndGet();
            return new ByteArrayInputStream(content.get(courseId).get(entryName));
        }
    }

    @Test
    void coursesAreBackedUpIncrementallyAndRestoredOneByOne() throws Exception {
        Instant t0 = Instant.parse("2026-09-01T08:00:00Z");
        MemoryStore store = new MemoryStore();
        store.titles.put("42", "Intro to Databases");
        store.titles.put("77", "Ethics & AI");
        store.put("42", "lesson-1.md", "# Tables\n", t0);
        store.put("42", "quiz.json", "{\"q\":1}", t0);
        store.put("77", "syllabus.md", "# Ethics\n", t0);
        Clock clock = Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC);

        try (Repository repo = Repository.at(Backends.local(tmp.resolve("repo"))).password("pw")
                .kdf(KdfParams.insecureFastForTests()).clock(clock).init()) {
            BackupResult first = repo.backup().source(new CourseSource(store, clock)).run();
            assertEquals(3, first.filesNew());
            assertEquals(3, store.reads.get());

            store.put("77", "syllabus.md", "# Ethics, revised\n", t0.plusSeconds(86_400));
            BackupResult second = repo.backup().source(new CourseSource(store, clock)).run();
            assertEquals(2, second.filesUnmodified(), "unchanged entries are not read again");
            assertEquals(1, second.filesChanged());
            assertEquals(4, store.reads.get());

            Path out = tmp.resolve("restore");
            repo.restore("latest").target(out).include("/lms/courses/42-*").run();
            Path course = out.resolve("lms/courses/42-intro-to-databases");
            assertEquals("# Tables\n", Files.readString(course.resolve("lesson-1.md")));
            assertTrue(Files.exists(course.resolve("quiz.json")));
            assertFalse(Files.exists(out.resolve("lms/courses/77-ethics-ai")), "only the one course");
        }
    }

    @Test
    void anEntryWhoseRecordedSizeIsWrongIsStoredAsReadAndReported() throws Exception {
        Instant t0 = Instant.parse("2026-09-01T08:00:00Z");
        MemoryStore store = new MemoryStore();
        store.titles.put("42", "Intro to Databases");
        store.put("42", "upload.pdf", "%PDF-1.7 ...", t0);
        store.recordedSize.put("42/upload.pdf", 3L);
        Clock clock = Clock.fixed(t0.plusSeconds(3600), ZoneOffset.UTC);
        try (Repository repo = Repository.at(Backends.local(tmp.resolve("repo"))).password("pw")
                .kdf(KdfParams.insecureFastForTests()).clock(clock).init()) {
            BackupResult r = repo.backup().source(new CourseSource(store, clock)).run();
            assertTrue(r.snapshot().incomplete());
            assertEquals(1, r.errors().size());
            assertEquals("/lms/courses/42-intro-to-databases/upload.pdf", r.errors().get(0).path());
            Path out = tmp.resolve("restore");
            repo.restore("latest").target(out).run();
            assertEquals("%PDF-1.7 ...", Files.readString(out.resolve("lms/courses/42-intro-to-databases/upload.pdf")),
                    "stored as read");
        }
    }
}
