package dev.backup4j.core.restic;

import dev.backup4j.core.testing.FsFacts;
import dev.backup4j.core.testing.ResticDifferential;
import dev.backup4j.core.testing.Restic;
import dev.backup4j.core.testing.SampleTrees;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One hand-made tree with every kind of entry and the names that broke restic fidelity, through both tools in both
 * directions (see {@link ResticDifferential}). {@link ResticDifferentialPropertyTest} does the same for random trees.
 */
class ResticFidelityTest {
    @TempDir
    Path tmp;

    @Test
    void resticChecksListsAndRestoresOurBackupOfTheAdversarialTree() throws Exception {
        Restic.requireRestic();
        Path src = SampleTrees.adversarial(tmp.resolve("src"));
        Map<String, String> facts = FsFacts.exact().withoutSockets().of(src);
        ResticDifferential.backUpWithUs(src, tmp.resolve("ours"));
        ResticDifferential.resticReadsOurs(src, tmp.resolve("ours"), tmp.resolve("restic-restore"), facts);
    }

    @Test
    void weRestoreResticsBackupOfTheAdversarialTree() throws Exception {
        Restic.requireRestic();
        Path src = SampleTrees.adversarial(tmp.resolve("src"));
        ResticDifferential.backUpWithRestic(src, tmp.resolve("restics"));
        ResticDifferential.weReadRestics(src, tmp.resolve("restics"), tmp.resolve("our-restore"));
    }

    @Test
    void bothToolsRecordTheSameNodesForTheAdversarialTree() throws Exception {
        Restic.requireRestic();
        Path src = SampleTrees.adversarial(tmp.resolve("src"));
        ResticDifferential.backUpWithRestic(src, tmp.resolve("restics"));
        ResticDifferential.backUpWithUs(src, tmp.resolve("ours"));
        ResticDifferential.sameNodes(tmp.resolve("restics"), tmp.resolve("ours"));
    }
}
