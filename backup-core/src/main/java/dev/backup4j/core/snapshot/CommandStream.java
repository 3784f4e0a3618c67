package dev.backup4j.core.snapshot;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A command's standard output as a stream. Closing it waits for the command; a non-zero exit status (or a close
 * before the output was read to its end) becomes a {@link SourceFailedException} with the end of standard error.
 */
final class CommandStream extends FilterInputStream {
    private static final int STDERR_KEEP = 16 * 1024;

    private final Process process;
    private final List<String> command;
    private final Thread stderrReader;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private boolean eof;
    private boolean closed;

    private CommandStream(Process process, List<String> command) {
        super(process.getInputStream());
        this.process = process;
        this.command = command;
        this.stderrReader = new Thread(this::drainStderr, "command-stderr");
        this.stderrReader.setDaemon(true);
        this.stderrReader.start();
    }

    static CommandStream start(List<String> command) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        try {
            return new CommandStream(pb.start(), command);
        } catch (IOException e) {
            throw new SourceFailedException("cannot start " + command.get(0) + ": " + e.getMessage(), e);
        }
    }

    private void drainStderr() {
        byte[] buf = new byte[8192];
        try (InputStream err = process.getErrorStream()) {
            for (int n; (n = err.read(buf)) > 0; ) {
                synchronized (stderr) {
                    stderr.write(buf, 0, n);
                    if (stderr.size() > 4 * STDERR_KEEP) {
                        byte[] all = stderr.toByteArray();
                        stderr.reset();
                        stderr.write(all, all.length - STDERR_KEEP, STDERR_KEEP);
                    }
                }
            }
        } catch (IOException ignored) {
            // the process went away; its exit status tells the rest
        }
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        eof |= b < 0;
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        eof |= n < 0;
        return n;
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        super.close();
        int status;
        try {
            if (!eof) {
                process.destroy();
            }
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new SourceFailedException(String.join(" ", command) + " did not exit");
            }
            status = process.exitValue();
            stderrReader.join(5000);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for " + command.get(0));
        }
        if (status != 0 || !eof) {
            String err;
            synchronized (stderr) {
                err = stderr.toString(StandardCharsets.UTF_8).strip();
            }
            if (err.length() > 2000) {
                err = "..." + err.substring(err.length() - 2000);
            }
            throw new SourceFailedException(String.join(" ", command) + " exited with status " + status
                    + (err.isEmpty() ? "" : ": " + err.replace('\n', ' ')));
        }
    }
}
