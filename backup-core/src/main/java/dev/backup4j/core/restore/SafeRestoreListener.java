package dev.backup4j.core.restore;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A caller's {@link RestoreListener} behind a wall: whatever a callback throws is caught, the first time logged (with
 * its stack trace) and afterwards ignored, so a listener never changes what a restore writes or reports. Errors of
 * the JVM itself ({@link VirtualMachineError}) are not caught.
 */
final class SafeRestoreListener implements RestoreListener {
    private static final Logger LOG = LoggerFactory.getLogger(RestoreExecutor.class);

    private final RestoreListener listener;
    private final AtomicBoolean logged = new AtomicBoolean();

    private SafeRestoreListener(RestoreListener listener) {
        this.listener = listener;
    }

    /** {@code listener}, made safe (unless it is {@link RestoreListener#NONE} or safe already). */
    static RestoreListener of(RestoreListener listener) {
        return listener == RestoreListener.NONE || listener instanceof SafeRestoreListener ? listener
                : new SafeRestoreListener(listener);
    }

    @Override
    public void started(RestorePlan plan) {
        try {
            listener.started(plan);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            threw("started", t);
        }
    }

    @Override
    public void bytesWritten(long bytes) {
        try {
            listener.bytesWritten(bytes);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            threw("bytesWritten", t);
        }
    }

    @Override
    public void done(RestoreAction action) {
        try {
            listener.done(action);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            threw("done", t);
        }
    }

    @Override
    public void failed(String path, String message) {
        try {
            listener.failed(path, message);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            threw("failed", t);
        }
    }

    private void threw(String callback, Throwable t) {
        if (logged.compareAndSet(false, true)) {
            LOG.warn("the restore listener {} threw from {}; the restore goes on as without it, and what this listener"
                    + " throws from now on is ignored without being logged", listener, callback, t);
        }
    }
}
