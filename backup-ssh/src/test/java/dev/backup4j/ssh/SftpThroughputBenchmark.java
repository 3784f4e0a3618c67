package dev.backup4j.ssh;

import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.testing.BackendThroughput;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Throughput of pack-sized writes and whole-file reads: local disk vs SFTP on loopback (OpenSSH's sshd, and MINA's
 * in-process server). Run with {@code backup-ssh/bench/sftp-throughput.sh [MiB] [threads]}; not a unit test.
 */
public final class SftpThroughputBenchmark {
    private SftpThroughputBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        List<byte[]> data = BackendThroughput.packs(mib);
        int packs = data.size();
        Path tmp = Files.createTempDirectory("sftp-bench");
        System.out.printf("%d packs of 4 MiB (%d MiB), %d threads; cores=%d%n", packs, packs * 4, threads,
                Runtime.getRuntime().availableProcessors());
        double[] local = BackendThroughput.run("local disk", Backends.local(tmp.resolve("local")), data, threads);
        double[] openssh = null;
        if (Files.isExecutable(Path.of("/usr/sbin/sshd"))) {
            try (OpenSshServer sshd = OpenSshServer.start(Files.createDirectory(tmp.resolve("sshd")))) {
                openssh = BackendThroughput.run("sftp openssh loopback", SftpBackends.open(
                        sshd.clientConfig().sftpChannels(threads).build(), tmp.resolve("openssh").toString()), data,
                        threads);
            }
        }
        double[] mina;
        Path minaRoot = Files.createDirectory(tmp.resolve("mina"));
        try (TestSshServer server = TestSshServer.builder(minaRoot).start()) {
            mina = BackendThroughput.run("sftp mina in-process", SftpBackends.open(server.clientConfig().sftpChannels(threads).build(),
                    "/repo"), data, threads);
        }
        if (openssh != null) {
            System.out.printf("ratio sftp(openssh)/local: write %.2f, read %.2f%n", openssh[0] / local[0],
                    openssh[1] / local[1]);
        }
        System.out.printf("ratio sftp(mina)/local:    write %.2f, read %.2f%n", mina[0] / local[0], mina[1] / local[1]);
        try (var walk = Files.walk(tmp)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

}
