package dev.backup4j.core.backend;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Factories for the built-in {@link Backend}s.
 *
 * <pre>{@code
 * Backend disk = Backends.local(Path.of("/srv/backups/repo"));
 * Backend ram = Backends.inMemory();
 * }</pre>
 */
public final class Backends {
    private Backends() {
    }

    /**
     * A repository in a local directory, in restic's default layout. The directory need not exist yet: it is
     * created by {@link #createLayout(Backend)} (which {@code Repository.init} calls).
     */
    public static Backend local(Path root) {
        return new LocalBackend(Objects.requireNonNull(root, "root"));
    }

    /** A repository held in memory, for tests and simulations. */
    public static Backend inMemory() {
        return new MemoryBackend();
    }

    /**
     * Limits the average rate at which {@code backend} is written (restic's {@code --limit-upload}), so a nightly
     * backup leaves bandwidth for the users of the server. Reads are not limited.
     *
     * @throws IllegalArgumentException unless {@code bytesPerSecond} is positive
     */
    public static Backend limitUpload(Backend backend, long bytesPerSecond) {
        Objects.requireNonNull(backend, "backend");
        if (bytesPerSecond <= 0) {
            throw new IllegalArgumentException("upload limit must be positive, got " + bytesPerSecond);
        }
        Backend limited = new RateLimitedBackend(backend, bytesPerSecond);
        return backend instanceof LayoutAware aware ? new LayoutAwareLimited(limited, aware) : limited;
    }

    /** Keeps a limited backend able to create its layout. */
    private static final class LayoutAwareLimited extends ForwardingBackend implements LayoutAware {
        private final LayoutAware layout;

        LayoutAwareLimited(Backend delegate, LayoutAware layout) {
            super(delegate);
            this.layout = layout;
        }

        @Override
        public void createLayout() throws IOException {
            layout.createLayout();
        }
    }

    /**
     * A repository served over restic's REST protocol, version 2 ({@code rest-server}, {@code rclone serve restic}):
     * restic's {@code rest:URL}, e.g. {@code http://user:secret@host:8000/repo}. Requests time out after 10 minutes.
     *
     * @throws IllegalArgumentException if the URL is not http or https
     */
    public static Backend rest(java.net.URI url) {
        return new RestBackend(url, java.time.Duration.ofMinutes(10));
    }

    /**
     * Prepares an empty location for a new repository (for a directory: the folders of restic's layout, including
     * {@code data/00} to {@code data/ff}). Backends without folders need nothing.
     */
    public static void createLayout(Backend backend) throws IOException {
        if (backend instanceof LayoutAware aware) {
            aware.createLayout();
        }
    }

    /** Implemented by backends that have folders to create before the first write. */
    public interface LayoutAware {
        /** Creates the folders of restic's default layout. */
        void createLayout() throws IOException;
    }
}
