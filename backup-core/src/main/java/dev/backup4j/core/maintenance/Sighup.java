package dev.backup4j.core.maintenance;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this JVM ignore SIGHUP, for {@link dev.backup4j.core.Repository.Opener#ignoreSighup(boolean)}: restic judges
 * whether a lock's process on the same host is alive by sending it SIGHUP, and the JVM's default reaction is to exit.
 * Installed at most once per JVM (as restic ignores SIGHUP for its whole run).
 */
final class Sighup {
    private static final Logger LOG = LoggerFactory.getLogger(Sighup.class);
    private static volatile boolean tried;

    private Sighup() {
    }

    /**
     * Installs a handler that ignores SIGHUP, once; if that is impossible, logs why once and returns. Never throws:
     * a lock works without it.
     */
    static void ignore() {
        if (tried) {
            return;
        }
        synchronized (Sighup.class) {
            if (tried) {
                return;
            }
            tried = true;
            try {
                Handler.install();
                LOG.debug("SIGHUP is ignored from now on, so that restic's liveness test does not stop this process");
            } catch (LinkageError e) {
                // sun.misc.Signal is in jdk.unsupported: a named module that does not read it gets
                // NoClassDefFoundError or IllegalAccessError here, at the first use, and nowhere else
                LOG.warn("cannot ignore SIGHUP ({}: add 'requires jdk.unsupported' to the application's module):"
                        + " restic unlock on this host would stop this process while it holds a lock", e.toString());
            } catch (IllegalArgumentException | UnsupportedOperationException e) {
                // the JVM reserves the signal (-Xrs) or the platform has none
                LOG.warn("cannot ignore SIGHUP ({}): restic unlock on this host would stop this process while it"
                        + " holds a lock", e.getMessage());
            }
        }
    }

    /** The only code that names {@code sun.misc}: loaded, and so linked, only when {@link #ignore()} runs. */
    private static final class Handler {
        private Handler() {
        }

        @SuppressWarnings("restriction")
        static void install() {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> LOG.debug("ignored SIGHUP"));
        }
    }
}
