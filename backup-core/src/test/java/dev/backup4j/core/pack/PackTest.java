package dev.backup4j.core.pack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.CorruptDataException;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.crypto.MasterKey;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class PackTest {
    @Test
    void headerListsEveryBlobAtItsOffset() throws Exception {
        MasterKey key = MasterKey.random();
        PackWriter w = new PackWriter(key, 1 << 20);
        Random r = new Random(4);
        byte[][] plains = new byte[5][];
        for (int i = 0; i < 5; i++) {
            plains[i] = new byte[r.nextInt(5000)];
            r.nextBytes(plains[i]);
            w.add(i % 2 == 0 ? BlobType.DATA : BlobType.TREE, Id.hash(plains[i]), key.seal(plains[i]),
                    i == 3 ? 12345 : 0);
        }
        PackWriter.Pack pack = w.finish();
        assertEquals(Id.hash(pack.bytes()), pack.id());
        Backend b = Backends.inMemory();
        b.write(Handle.of(FileType.PACK, pack.id()), pack.bytes());
        List<PackedBlob> header = PackReader.readHeader(b, pack.id(), pack.bytes().length, key);
        assertEquals(pack.blobs(), header);
        for (int i = 0; i < 5; i++) {
            PackedBlob pb = header.get(i);
            byte[] sealed = b.read(Handle.of(FileType.PACK, pack.id()), pb.offset(), pb.length());
            assertArrayEquals(plains[i], key.open(sealed));
        }
        assertEquals(12345, header.get(3).uncompressedLength());

        byte[] bad = pack.bytes().clone();
        bad[bad.length - 10] ^= 1;
        Id badId = Id.hash(bad);
        b.write(Handle.of(FileType.PACK, badId), bad);
        assertThrows(CorruptDataException.class, () -> PackReader.readHeader(b, badId, bad.length, key));
    }
}
