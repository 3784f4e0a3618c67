package dev.backup4j.core.maintenance;

import dev.backup4j.core.common.RepositoryException;

/**
 * A forget stopped before removing anything because its decision went past the limits set with
 * {@link Forget#limits}: more than the allowed share of the snapshots, or every snapshot older than an age. Check the
 * policy (or look for forged snapshots), then run again with {@link Forget#force()} (CLI: {@code --force}).
 */
public class ForgetLimitException extends RepositoryException {
    private static final long serialVersionUID = 1L;

    /** With the message saying which limit and what the decision would have removed. */
    public ForgetLimitException(String message) {
        super(message);
    }
}
