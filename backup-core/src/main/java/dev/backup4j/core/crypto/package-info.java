/**
 * restic's cryptography: {@link dev.backup4j.core.crypto.MasterKey} seals every file and blob as
 * {@code IV || AES-256-CTR(plaintext) || Poly1305-AES(ciphertext)}, and {@link dev.backup4j.core.crypto.KeyFile}
 * stores the master key encrypted under a password through scrypt. JDK AES (hardware-accelerated) does the
 * encryption; Poly1305 and scrypt, which the JDK lacks, are implemented here (and tested against Bouncy Castle's,
 * which is not a runtime dependency). Applications use {@link dev.backup4j.core.crypto.KdfParams} to choose the scrypt
 * cost of new key files ({@code Repository.Opener.kdf}).
 */
package dev.backup4j.core.crypto;
