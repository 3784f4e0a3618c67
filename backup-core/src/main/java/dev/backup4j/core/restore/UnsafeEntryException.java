package dev.backup4j.core.restore;

import dev.backup4j.core.common.CorruptDataException;

/**
 * A snapshot holds an entry whose name could make a restore write outside its target ({@code ..}, {@code .}, empty,
 * containing '/' or NUL, or absolute). Nothing of the restore has been written when the planner throws it.
 */
public class UnsafeEntryException extends CorruptDataException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception; the message names the snapshot and the path. */
    public UnsafeEntryException(String message) {
        super(message);
    }
}
