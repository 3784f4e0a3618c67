package dev.backup4j.core.backend;

/**
 * A listed file: its name and size in bytes.
 *
 * @param name the file name inside its folder
 * @param size the size in bytes
 */
public record FileInfo(String name, long size) {
}
