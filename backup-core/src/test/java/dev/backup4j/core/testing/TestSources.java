package dev.backup4j.core.testing;

import dev.backup4j.core.snapshot.Node;
import dev.backup4j.core.snapshot.SnapshotSource;
import dev.backup4j.core.snapshot.SourceEntry;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/** Sources for tests: real ones with a crafted entry added (one that fails to open, say). */
public final class TestSources {
    private TestSources() {
    }

    /** {@code real}, whose root directory lists {@code extra} after its own entries. */
    public static SnapshotSource withExtraEntry(SnapshotSource real, SourceEntry extra) {
        return new SnapshotSource() {
            @Override
            public String path() {
                return real.path();
            }

            @Override
            public SourceEntry root() throws IOException {
                SourceEntry root = real.root();
                return new SourceEntry() {
                    @Override
                    public Node metadata() {
                        return root.metadata();
                    }

                    @Override
                    public List<SourceEntry> children() throws IOException {
                        List<SourceEntry> c = new ArrayList<>(root.children());
                        c.add(extra);
                        return c;
                    }

                    @Override
                    public InputStream open() {
                        throw new UnsupportedOperationException();
                    }
                };
            }
        };
    }
}
