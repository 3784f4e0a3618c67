/**
 * Pack files: blobs, each sealed separately, followed by a sealed header listing them and the header's length as a
 * 4-byte little-endian integer. {@link dev.backup4j.core.pack.PackWriter} builds one in memory;
 * {@link dev.backup4j.core.pack.PackReader} reads and checks a header. A pack holds only data blobs or only tree blobs.
 */
package dev.backup4j.core.pack;
