package dev.backup4j.core.pack;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.MasterKey;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/** Reads the header of a pack: which blobs it holds and where. */
public final class PackReader {
    private static final int MAX_HEADER = 16 * 1024 * 1024;

    private PackReader() {
    }

    /**
     * Reads and checks the header of pack {@code id} (of {@code size} bytes).
     *
     * @throws CorruptDataException if the header cannot be decrypted or its entries do not fit in the pack
     */
    public static List<PackedBlob> readHeader(Backend backend, Id id, long size, MasterKey key) throws IOException {
        Handle h = Handle.of(FileType.PACK, id);
        if (size < 4 + MasterKey.OVERHEAD) {
            throw new CorruptDataException(h + ": pack too short (" + size + " bytes)");
        }
        byte[] lenBytes = backend.read(h, size - 4, 4);
        long hlen = Integer.toUnsignedLong(ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN).getInt());
        if (hlen < MasterKey.OVERHEAD || hlen > MAX_HEADER || hlen > size - 4) {
            throw new CorruptDataException(h + ": invalid header length " + hlen);
        }
        byte[] sealed = backend.read(h, size - 4 - hlen, (int) hlen);
        byte[] header;
        try {
            header = key.open(sealed);
        } catch (CorruptDataException e) {
            throw new CorruptDataException(h + ": pack header " + e.getMessage(), e);
        }
        return parseHeader(header, size - 4 - hlen, h.toString());
    }

    /** Parses a decrypted header; every blob must lie within the first {@code dataEnd} bytes, in order. */
    public static List<PackedBlob> parseHeader(byte[] header, long dataEnd, String what) throws CorruptDataException {
        ByteBuffer b = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
        List<PackedBlob> out = new ArrayList<>();
        long offset = 0;
        while (b.hasRemaining()) {
            int t = b.get() & 0xff;
            if (t > 3) {
                throw new CorruptDataException(what + ": unknown blob type " + t + " in header");
            }
            int need = 4 + (t >= 2 ? 4 : 0) + 32;
            if (b.remaining() < need) {
                throw new CorruptDataException(what + ": truncated header entry");
            }
            long length = Integer.toUnsignedLong(b.getInt());
            long ulen = t >= 2 ? Integer.toUnsignedLong(b.getInt()) : 0;
            byte[] idb = new byte[32];
            b.get(idb);
            if (length < MasterKey.OVERHEAD || offset + length > dataEnd || length > Integer.MAX_VALUE
                    || ulen > Integer.MAX_VALUE) {
                throw new CorruptDataException(what + ": blob entry outside the pack");
            }
            BlobType type = (t & 1) == 0 ? BlobType.DATA : BlobType.TREE;
            out.add(new PackedBlob(type, Id.of(idb), offset, (int) length, (int) ulen));
            offset += length;
        }
        return out;
    }
}
