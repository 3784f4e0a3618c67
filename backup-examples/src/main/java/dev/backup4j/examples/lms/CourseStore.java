package dev.backup4j.examples.lms;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;

/** The LMS's own storage, as the example sees it: courses, each a list of entries with content. */
public interface CourseStore {

    /** One course. */
    record Course(String id, String title) {
    }

    /** One entry of a course (a lesson, an upload, a grade export). */
    record Entry(String name, long size, Instant modified) {
    }

    /** All courses. */
    List<Course> courses() throws IOException;

    /** The entries of a course. */
    List<Entry> entries(String courseId) throws IOException;

    /** Opens an entry's content. */
    InputStream open(String courseId, String entryName) throws IOException;
}
