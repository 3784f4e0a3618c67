/**
 * The vocabulary every layer shares: {@link dev.backup4j.core.common.Id} (the SHA-256 names of everything in a
 * repository) and the named exceptions a caller can handle. It sits below every other package and imports none.
 *
 * <h2>What the library throws</h2>
 *
 * <p>Every condition of a repository that a caller can handle is a
 * {@link dev.backup4j.core.common.RepositoryException} (an {@link java.io.IOException}):
 * <ul>
 *   <li>{@link dev.backup4j.core.common.RepositoryNotFoundException}: no repository at the location ({@code open});</li>
 *   <li>{@link dev.backup4j.core.common.RepositoryExistsException}: a repository is there already ({@code init});</li>
 *   <li>{@link dev.backup4j.core.common.WrongPasswordException}: no key file opens with the password;</li>
 *   <li>{@link dev.backup4j.core.common.UnsupportedFormatException}: a format version or file this library does not
 *       read;</li>
 *   <li>{@link dev.backup4j.core.common.RepositoryLockedException}: another process (or operation) holds a
 *       conflicting lock, still after the opener's {@code lockWait};</li>
 *   <li>{@link dev.backup4j.core.common.NoSuchSnapshotException}: no snapshot, or several, match an id, a prefix,
 *       {@code latest} or a time;</li>
 *   <li>{@link dev.backup4j.core.common.NoSuchPathException}: a path asked for is not in a snapshot, or is of the
 *       wrong kind (browse, restore of {@code SNAPSHOT:PATH}, dump);</li>
 *   <li>{@link dev.backup4j.core.common.AppendOnlyRepositoryException}: forget, prune or a key removal on an
 *       append-only repository (opened so, or its storage refused a delete); nothing was deleted;</li>
 *   <li>{@link dev.backup4j.core.maintenance.ForgetLimitException}: a forget would have removed more than its
 *       {@code limits} allow (until forced); nothing was removed;</li>
 *   <li>{@link dev.backup4j.core.common.CorruptDataException}: stored bytes are damaged (authentication, hash or
 *       structure), and its subclass {@link dev.backup4j.core.restore.UnsafeEntryException}: a snapshot holds a
 *       name that could make a restore write outside its target.</li>
 * </ul>
 *
 * <p>Its documented siblings, conditions that are not the repository's:
 * <ul>
 *   <li>{@link dev.backup4j.core.snapshot.SourceFailedException}: a backup source failed as a whole (a dump command
 *       exited non-zero, a stream could not be opened), under {@link dev.backup4j.core.snapshot.FailurePolicy#FAIL_BACKUP};
 *       backup-ssh's {@code RemoteCommandException} is one;</li>
 *   <li>{@link dev.backup4j.core.restore.RestoreTarget.MetadataNotRestoredException}: a restore target could not
 *       apply some metadata (reported as a warning, not thrown out of a restore);</li>
 *   <li>{@link java.io.InterruptedIOException}: the calling thread was interrupted (a backup's {@code run()}, a
 *       restore, a wait for a lock);</li>
 *   <li>other {@link java.io.IOException}s come from the storage or the local file system as the backend or the JDK
 *       raise them ({@link java.nio.file.NoSuchFileException}, {@link java.nio.file.AccessDeniedException}, a
 *       connection reset...); backup-ssh adds {@code SshConnectionException}, {@code SshAuthenticationException},
 *       {@code HostKeyVerificationException} and {@code RemoteDiskFullException}. A backend says which of its
 *       failures are permanent ({@code Backend.isPermanent}).</li>
 * </ul>
 *
 * <p>Unchecked: {@link java.lang.IllegalArgumentException} and {@link java.lang.IllegalStateException} for misuse
 * (a repeated option, a command run twice), with a message that says what to do;
 * {@link java.util.concurrent.CancellationException} for a backup cancelled through {@code RunningBackup}; and an
 * {@link java.io.UncheckedIOException} from {@code Repository.index()} when an index loading in the background
 * failed. {@code ExceptionsTest} checks that every public exception class of backup-core is listed here.
 */
package dev.backup4j.core.common;
