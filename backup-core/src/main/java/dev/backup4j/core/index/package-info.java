/**
 * The index: which pack holds each blob, at which offset. {@link dev.backup4j.core.index.Index} is the in-memory
 * lookup built from all index files; {@link dev.backup4j.core.index.IndexFile} reads and writes one index file's
 * JSON ({@code {"supersedes":[...],"packs":[{"id":..,"blobs":[..]}]}}).
 */
package dev.backup4j.core.index;
