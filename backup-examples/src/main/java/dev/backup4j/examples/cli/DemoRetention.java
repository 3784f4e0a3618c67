package dev.backup4j.examples.cli;

import dev.backup4j.core.Repository;
import java.io.IOException;
import java.io.PrintWriter;

/** The demo's retention step. */
final class DemoRetention {
    private DemoRetention() {
    }

    static void apply(Repository repo, PrintWriter out) throws IOException {
        out.println("   (retention is not wired into the demo yet)");
    }
}
