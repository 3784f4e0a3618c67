/**
 * Content-defined chunking compatible with restic's: a Rabin fingerprint over a sliding 64-byte window, modulo the
 * repository's irreducible polynomial of degree 53 ({@link dev.backup4j.core.chunker.Polynomial}); a chunk ends where
 * the fingerprint's low 20 bits are zero, and is between 512 KiB and 8 MiB long. Because the polynomial comes from the
 * repository's config, a file backed up by restic and by this library yields the same blobs.
 * Start with {@link dev.backup4j.core.chunker.Chunker#split}.
 */
package dev.backup4j.core.chunker;
