package dev.backup4j.retention;

import static org.quicktheories.QuickTheory.qt;

import org.quicktheories.QuickTheory;

/**
 * How every property runs: {@code -Dretention.examples=N} examples (default 1000). The seed is random per run and
 * QuickTheories prints it with any falsifying example; replay with {@code -DQT_SEED=<seed>}.
 */
final class Props {
    static final int EXAMPLES = Integer.getInteger("retention.examples", 1000);

    private Props() {
    }

    static QuickTheory theory() {
        return qt().withExamples(EXAMPLES);
    }

    static QuickTheory theory(int examples) {
        return qt().withExamples(examples);
    }
}
