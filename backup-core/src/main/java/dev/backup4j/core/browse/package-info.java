/**
 * Reading a snapshot without restoring it: {@link dev.backup4j.core.browse.SnapshotBrowser} lists directories,
 * looks up paths, streams a file's content blob by blob and walks subtrees
 * ({@link dev.backup4j.core.browse.TreeVisitor}, {@link dev.backup4j.core.browse.WalkAction}); it also gives what
 * {@code restic ls} and {@code restic find} list ({@link dev.backup4j.core.browse.PathPattern} holds restic's find
 * patterns). {@link dev.backup4j.core.browse.SnapshotDiff} compares two snapshots and
 * {@link dev.backup4j.core.browse.SnapshotStats} counts sizes over snapshots, both as restic 0.14's {@code diff} and
 * {@code stats} do. Start with {@code SnapshotBrowser.open(repo, SnapshotSelector.latest())}.
 *
 * <p>It sits beside {@code restore}: both read trees and blobs through {@link dev.backup4j.core.Repository}; this
 * package writes nothing. A path that is not in a snapshot is a
 * {@link dev.backup4j.core.common.NoSuchPathException}.
 */
package dev.backup4j.core.browse;
