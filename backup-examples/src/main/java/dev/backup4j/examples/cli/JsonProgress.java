package dev.backup4j.examples.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.backup4j.core.backup.BackupListener;
import dev.backup4j.core.backup.BackupStatus;
import dev.backup4j.core.common.Json;
import java.io.PrintWriter;

/** Progress as restic's JSON lines: {@code {"message_type":"status",...}} then the summary. */
final class JsonProgress implements BackupListener {
    private final PrintWriter out;

    JsonProgress(PrintWriter out) {
        this.out = out;
    }

    @Override
    public void onStatus(BackupStatus s) {
        ObjectNode o = JsonOut.object();
        o.put("message_type", "status");
        o.put("seconds_elapsed", s.elapsed().toSeconds());
        s.eta().ifPresent(eta -> o.put("seconds_remaining", eta.toSeconds()));
        o.put("percent_done", s.fractionDone());
        o.put("total_files", s.totalFiles());
        o.put("files_done", s.filesDone());
        o.put("total_bytes", s.totalBytes());
        o.put("bytes_done", s.bytesDone());
        o.put("error_count", s.errors());
        ArrayNode cur = o.putArray("current_files");
        s.currentFiles().forEach(cur::add);
        print(o);
    }

    @Override
    public void onError(String path, String message) {
        ObjectNode o = JsonOut.object();
        o.put("message_type", "error");
        o.putObject("error").put("message", message);
        o.put("during", "archival");
        o.put("item", path);
        print(o);
    }

    private void print(ObjectNode o) {
        String line = Json.toString(o);
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
