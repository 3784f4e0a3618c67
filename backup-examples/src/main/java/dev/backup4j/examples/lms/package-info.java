/**
 * Example for LMS vendors: back up an application's own logical units (courses and their entries, read from the
 * application's storage) without copying them to the file system first. Start with
 * {@link dev.backup4j.examples.lms.CourseSource}.
 */
package dev.backup4j.examples.lms;
