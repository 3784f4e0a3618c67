package dev.backup4j.examples.cli;

import dev.backup4j.core.backup.BackupListener;
import dev.backup4j.core.backup.BackupStatus;
import java.io.PrintWriter;
import java.util.Locale;

/** One status line, rewritten in place, on a terminal's standard error. */
final class TerminalProgress implements BackupListener {
    private final PrintWriter err;
    private final java.util.Set<String> reported;

    /** Progress on {@code err}; errors for the paths in {@code reported} were already printed and are not again. */
    TerminalProgress(PrintWriter err, java.util.Set<String> reported) {
        this.err = err;
        this.reported = reported;
    }

    @Override
    public void onStatus(BackupStatus s) {
        String eta = s.eta().map(d -> String.format(Locale.ROOT, " ETA %d:%02d", d.toMinutes(), d.toSecondsPart()))
                .orElse("");
        String line = String.format(Locale.ROOT, "[%d:%02d] %5.1f%%  %d files %s%s%s",
                s.elapsed().toMinutes(), s.elapsed().toSecondsPart(), 100 * s.fractionDone(), s.filesDone(),
                Sizes.human(s.bytesDone()), s.totalBytes() > 0 ? " / " + Sizes.human(s.totalBytes()) : "", eta);
        synchronized (err) {
            err.print("\r" + line + "    ");
            err.flush();
        }
    }

    @Override
    public void onError(String path, String message) {
        if (reported.contains(path)) {
            return;
        }
        synchronized (err) {
            err.println("\r" + Errors.backupError(path, message));
        }
    }
}
