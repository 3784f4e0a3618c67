package dev.backup4j.core.backup;

import dev.backup4j.core.chunker.ChunkStream;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.pack.BlobType;
import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.NodeType;
import dev.backup4j.core.snapshot.SourceEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

/**
 * Saves a backup's files: a file unchanged since the parent snapshot keeps the parent's content; any other is read
 * on a reader thread, cut into chunks, and each chunk stored on a blob thread. Works on its {@link Archiver}'s
 * threads, permits and counters.
 */
final class FileSaver {
    private final Archiver a;

    FileSaver(Archiver a) {
        this.a = a;
    }

    boolean unchanged(Node now, Node old) {
        if (a.force || old.type() != NodeType.FILE || now.size() != old.size()
                || !now.mtime().toInstant().equals(old.mtime().toInstant())
                || !now.ctime().toInstant().equals(old.ctime().toInstant())
                || (now.inode() != 0 && old.inode() != 0 && now.inode() != old.inode())) {
            return false;
        }
        for (Id id : old.content()) {
            if (!a.repo.index().has(BlobType.DATA, id)) {
                return false;
            }
        }
        return true;
    }

    CompletableFuture<Optional<Node>> archiveFile(SourceEntry e, String path, Node meta, Optional<Node> parent,
            Archiver.Src src) throws InterruptedException {
        if (parent.isPresent() && unchanged(meta, parent.get())) {
            a.filesUnmodified.incrementAndGet();
            a.filesDone.incrementAndGet();
            a.bytesProcessed.addAndGet(parent.get().size());
            a.listener.onFileDone(path, parent.get().size(), true);
            // an unchanged status change time means unchanged extended attributes: the parent's are kept
            return CompletableFuture.completedFuture(Optional.of(meta.toBuilder().content(parent.get().content())
                    .size(parent.get().size()).extendedAttributes(parent.get().extendedAttributes()).build()));
        }
        a.fileSlots.acquire();
        try {
            return CompletableFuture.supplyAsync(() -> {
                try {
                    return readFile(e, path, meta, parent.isPresent(), src);
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new CompletionException(ex);
                } finally {
                    a.fileSlots.release();
                }
            }, a.readers);
        } catch (RejectedExecutionException ex) {
            a.fileSlots.release(); // cancelled meanwhile: the readers take no more work
            return a.failedNow();
        }
    }

    private Optional<Node> readFile(SourceEntry e, String path, Node meta, boolean hadParent, Archiver.Src src)
            throws InterruptedException {
        if (a.fatal != null) {
            throw new CompletionException(a.fatal);
        }
        a.current.add(path);
        try {
            InputStream raw;
            try {
                raw = e.open();
            } catch (IOException ex) {
                return readFailed(src, path, ex);
            }
            a.open.add(raw);
            if (a.cancelled) {
                closeQuietly(raw); // cancel() may have closed the streams before this one was added
            }
            List<CompletableFuture<Id>> ids = new ArrayList<>();
            long size = 0;
            InputStream in = new SourceReads.SourceInput(raw, a.readLimit);
            try (ChunkStream chunks = a.repo.chunker().split(in, a.readBuffer.get())) {
                a.readBuffer.set(chunks.buffer());
                for (int n; (n = chunks.next()) >= 0; ) {
                    a.readBuffer.set(chunks.buffer()); // it may have grown for a large chunk
                    a.chunkSlots.acquire();
                    // an exact copy: under a fixed heap, live memory (chunks in flight) matters more than garbage
                    byte[] copy = Arrays.copyOf(chunks.buffer(), n);
                    final int len = n;
                    try {
                        ids.add(CompletableFuture.supplyAsync(() -> {
                            try {
                                return a.repo.saveBlob(BlobType.DATA, copy, 0, len, a.added);
                            } catch (IOException ex) {
                                a.fail(ex);
                                throw new UncheckedIOException(ex);
                            } finally {
                                a.chunkSlots.release();
                            }
                        }, a.blobs));
                    } catch (RejectedExecutionException ex) {
                        a.chunkSlots.release(); // the backup ended (cancelled or failed): store nothing more
                        throw new CompletionException(a.fatal != null ? a.fatal : ex);
                    }
                    size += n;
                    a.bytesRead.addAndGet(n);
                    a.bytesProcessed.addAndGet(n);
                }
            } catch (SourceReads.SourceReadException ex) {
                waitQuietly(ids);
                return readFailed(src, path, (IOException) ex.getCause());
            } catch (IOException ex) {
                // a SourceFailedException (a command's exit status, at close), an interrupted read, or closing the
                // chunk stream failed in a way that is not the source's: all the source's
                waitQuietly(ids);
                return readFailed(src, path, ex);
            } finally {
                a.open.remove(raw);
            }
            List<Id> content = new ArrayList<>(ids.size());
            for (CompletableFuture<Id> f : ids) {
                content.add(f.join());
            }
            if (e.declaresSize() && size != meta.size()) {
                a.errorStored(path, "declared " + meta.size() + " bytes but " + size
                        + " were read (changed while being read?); stored as read");
            }
            Node after = meta.toBuilder().atime(e.metadata().atime()).extendedAttributes(a.extendedAttributes(e, path))
                    .build();
            (hadParent ? a.filesChanged : a.filesNew).incrementAndGet();
            a.filesDone.incrementAndGet();
            a.listener.onFileDone(path, size, false);
            return Optional.of(after.toBuilder().content(content).size(size).build());
        } finally {
            a.current.remove(path);
        }
    }

    /**
     * A file that could not be opened or read to its end: its error, or a failure of its source (see
     * {@link Archiver#sourceFailed}), which ends the file's task with the backup's failure.
     */
    private Optional<Node> readFailed(Archiver.Src src, String path, IOException ex) {
        if (a.fatal != null) {
            throw new CompletionException(a.fatal);
        }
        if (a.wholeSource(src, path, ex)) {
            if (!a.sourceFailed(src, path, ex)) {
                throw new CompletionException(a.fatal);
            }
        } else {
            a.error(path, ex);
        }
        return Optional.empty();
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException | RuntimeException ignored) {
            // the backup is cancelled; closing only unblocks a read
        }
    }

    private static void waitQuietly(List<CompletableFuture<Id>> ids) {
        for (CompletableFuture<Id> f : ids) {
            try {
                f.join();
            } catch (CompletionException ignored) {
                // the repository failure is recorded as fatal by the task itself
            }
        }
    }
}
