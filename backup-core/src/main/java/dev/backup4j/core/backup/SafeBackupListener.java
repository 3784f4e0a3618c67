package dev.backup4j.core.backup;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A caller's {@link BackupListener} behind a wall: whatever a callback throws is caught, the first time logged (with
 * its stack trace) and afterwards ignored, so a listener never changes what a backup stores or returns, and a
 * status callback that throws is called again at the next tick. Errors of the JVM itself
 * ({@link VirtualMachineError}: out of memory, stack overflow) are not caught.
 */
final class SafeBackupListener implements BackupListener {
    private static final Logger LOG = LoggerFactory.getLogger("dev.backup4j.core.BackupCommand");

    private final BackupListener listener;
    private final AtomicBoolean logged = new AtomicBoolean();

    private SafeBackupListener(BackupListener listener) {
        this.listener = listener;
    }

    /** {@code listener}, made safe (unless it is {@link BackupListener#NONE} or safe already). */
    static BackupListener of(BackupListener listener) {
        return listener == BackupListener.NONE || listener instanceof SafeBackupListener ? listener
                : new SafeBackupListener(listener);
    }

    @Override
    public void onStatus(BackupStatus status) {
        try {
            listener.onStatus(status);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            threw("onStatus", t);
        }
    }

    @Override
    public void onError(String path, String message) {
        try {
            listener.onError(path, message);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            threw("onError", t);
        }
    }

    @Override
    public void onFileDone(String path, long bytes, boolean unchanged) {
        try {
            listener.onFileDone(path, bytes, unchanged);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            threw("onFileDone", t);
        }
    }

    private void threw(String callback, Throwable t) {
        if (logged.compareAndSet(false, true)) {
            LOG.warn("the backup listener {} threw from {}; the backup goes on as without it, and what this listener"
                    + " throws from now on is ignored without being logged", listener, callback, t);
        }
    }
}
