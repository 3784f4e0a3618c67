import dev.backup4j.core.Repository;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.common.Id;
import dev.backup4j.core.index.Index;
import dev.backup4j.core.pack.BlobType;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Random;

/**
 * A repository with N synthetic blobs in its index (index files only, no packs), then: the time to open it, the heap
 * the loaded index takes per blob, and lookups per second. Run by bench/index-scale/run.sh.
 *
 * Layout like a restic repository of ~1 MiB chunks: 16 data blobs per pack, one tree pack per 64 data packs
 * (64 tree blobs), 50,000 blobs per index file (restic's limit). Ids are random; sizes fixed.
 */
public final class IndexScale {
    public static void main(String[] args) throws Exception {
        long n = Long.parseLong(args[0]);
        Path dir = Path.of(args[1]);
        boolean generate = !Files.exists(dir.resolve("config"));
        Random random = new Random(42);
        HexFormat hex = HexFormat.of();
        if (generate) {
            long t0 = System.nanoTime();
            try (Repository repo = Repository.at(Backends.local(dir)).password("index-scale").init()) {
                long written = 0;
                int packNo = 0;
                while (written < n) {
                    StringBuilder json = new StringBuilder(8 << 20).append("{\"packs\":[");
                    int inFile = 0;
                    boolean firstPack = true;
                    while (inFile < 50_000 && written < n) {
                        boolean tree = packNo++ % 65 == 64;
                        int blobs = (int) Math.min(tree ? 64 : 16, n - written);
                        json.append(firstPack ? "" : ",").append("{\"id\":\"").append(randomId(random, hex))
                                .append("\",\"blobs\":[");
                        firstPack = false;
                        long offset = 0;
                        for (int b = 0; b < blobs; b++) {
                            int len = tree ? 2_000 : 1_000_000;
                            json.append(b == 0 ? "" : ",").append("{\"id\":\"").append(randomId(random, hex))
                                    .append("\",\"type\":\"").append(tree ? "tree" : "data")
                                    .append("\",\"offset\":").append(offset).append(",\"length\":").append(len)
                                    .append(",\"uncompressed_length\":").append(len + 100).append('}');
                            offset += len;
                        }
                        json.append("]}");
                        inFile += blobs;
                        written += blobs;
                    }
                    json.append("]}");
                    repo.saveJson(FileType.INDEX, json.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
            System.out.printf("generated %,d blobs in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        }

        long before = usedAfterGc();
        long t0 = System.nanoTime();
        Repository repo = Repository.at(Backends.local(dir)).password("index-scale").open();
        Index index = repo.index();
        double openSeconds = (System.nanoTime() - t0) / 1e9;
        long after = usedAfterGc();
        long blobs = index.count(BlobType.DATA) + index.count(BlobType.TREE);
        System.out.printf("blobs %,d, packs %,d, open %.1f s, index heap %,d bytes = %.0f bytes per blob%n", blobs,
                index.packs().size(), openSeconds, after - before, (after - before) / (double) blobs);

        // lookups: as many misses as hits (a backup asks mostly for blobs it does not have yet)
        Id[] misses = new Id[1 << 16];
        for (int i = 0; i < misses.length; i++) {
            misses[i] = Id.parse(randomId(random, hex));
        }
        Id[] hits = index.locations().stream().limit(1 << 16).map(l -> l.blob().id()).toArray(Id[]::new);
        long found = 0;
        long lookups = 0;
        long t1 = System.nanoTime();
        while (System.nanoTime() - t1 < 5_000_000_000L) {
            for (int i = 0; i < 1 << 16; i++) {
                found += index.has(BlobType.DATA, hits[i]) || index.has(BlobType.TREE, hits[i]) ? 1 : 0;
                found += index.has(BlobType.DATA, misses[i]) ? 1 : 0;
            }
            lookups += 3L << 16;
        }
        System.out.printf("lookups %.2f M/s (found %,d)%n", lookups / ((System.nanoTime() - t1) / 1e9) / 1e6, found);
        repo.close();
    }

    static String randomId(Random random, HexFormat hex) {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return hex.formatHex(b);
    }

    static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
