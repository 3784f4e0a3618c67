/**
 * The vocabulary every layer shares: {@link dev.backup4j.core.common.Id} (the SHA-256 names of everything in a
 * repository) and the named exceptions a caller can handle ({@link dev.backup4j.core.common.WrongPasswordException},
 * {@link dev.backup4j.core.common.CorruptDataException}, ...). It sits below every other package and imports none.
 */
package dev.backup4j.core.common;
