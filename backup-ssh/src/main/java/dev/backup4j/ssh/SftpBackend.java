package dev.backup4j.ssh;

import dev.backup4j.core.backend.Backend;
import dev.backup4j.core.backend.Backends;
import dev.backup4j.core.backend.FileInfo;
import dev.backup4j.core.backend.FileType;
import dev.backup4j.core.backend.Handle;
import dev.backup4j.core.common.Id;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileAlreadyExistsException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClient.Attributes;
import org.apache.sshd.sftp.client.SftpClient.CloseableHandle;
import org.apache.sshd.sftp.client.SftpClient.DirEntry;
import org.apache.sshd.sftp.client.SftpClient.OpenMode;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatExtensionInfo;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHStatPathExtension;
import org.apache.sshd.sftp.client.impl.AbstractSftpClient;
import org.apache.sshd.sftp.client.impl.SftpInputStreamAsync;
import org.apache.sshd.sftp.client.impl.SftpOutputStreamAsync;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A repository in restic's default layout on an SFTP server. Reached through {@link SftpBackends}.
 *
 * <p>Writes go to {@code <name>-tmp-<random>} in the final folder and are renamed with the plain SFTP rename, which
 * OpenSSH and MINA both refuse when the target exists; so a reader never sees a partial file and an existing file is
 * never replaced. Folders {@code data/xx} are created when the first pack of that prefix is written, as restic does.
 */
final class SftpBackend implements Backend, Backends.LayoutAware {
    private static final Logger LOG = LoggerFactory.getLogger(SftpBackend.class);
    private static final SecureRandom RANDOM = new SecureRandom();
    // Measured on loopback against OpenSSH: 255 KiB writes triple throughput over 64 KiB; reads do best at 64 KiB.
    private static final int WRITE_BUFFER = 255 * 1024;
    private static final int READ_BUFFER = 64 * 1024;
    private static final int ASYNC_READ_THRESHOLD = 256 * 1024;
    private static final int FILE_MODE = 0600;

    private final SftpChannels channels;
    private final boolean ownsConnection;
    private final String root;

    SftpBackend(SshConnection connection, String root, boolean ownsConnection) {
        this.channels = new SftpChannels(connection, connection.config().sftpChannels());
        this.ownsConnection = ownsConnection;
        this.root = root;
    }

    @Override
    public String location() {
        SshConfig c = channels.connection().config();
        // restic's URL form: "sftp://u@h:p//abs" for an absolute path, "sftp://u@h:p/rel" for a relative one.
        return "sftp://" + c.user() + "@" + (c.host().indexOf(':') >= 0 ? "[" + c.host() + "]" : c.host()) + ":"
                + c.port() + "/" + root;
    }

    private String path(Handle h) {
        return root + "/" + h.relativePath();
    }

    private String folder(FileType type) {
        return root + "/" + type.folder();
    }

    @Override
    public void createLayout() throws IOException {
        channels.call("create repository folders", root, (sftp, attempt) -> {
            mkdirs(sftp, root);
            for (FileType t : FileType.values()) {
                if (t != FileType.CONFIG) {
                    mkdirs(sftp, folder(t));
                }
            }
            return null;
        });
    }

    /** Creates {@code dir} and missing parents; an existing directory is fine. */
    private static void mkdirs(SftpClient sftp, String dir) throws IOException {
        if (isDirectory(sftp, dir)) {
            return;
        }
        int slash = dir.lastIndexOf('/');
        if (slash > 0) {
            mkdirs(sftp, dir.substring(0, slash));
        }
        try {
            sftp.mkdir(dir);
        } catch (SftpException e) {
            // Another writer may have created it meanwhile; anything else is a real failure.
            if (!isDirectory(sftp, dir)) {
                throw e;
            }
        }
    }

    private static boolean isDirectory(SftpClient sftp, String dir) throws IOException {
        Attributes a = statOrNull(sftp, dir);
        return a != null && a.isDirectory();
    }

    private static Attributes statOrNull(SftpClient sftp, String path) throws IOException {
        try {
            return sftp.stat(path);
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
                return null;
            }
            throw e;
        }
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        if (type == FileType.CONFIG) {
            return channels.call("list config", root, (sftp, attempt) -> {
                Attributes a = statOrNull(sftp, root + "/config");
                return a != null && a.isRegularFile() ? List.of(new FileInfo("config", a.getSize())) : List.of();
            });
        }
        String dir = folder(type);
        if (type != FileType.PACK) {
            return channels.call("list " + type.folder(), dir, (sftp, attempt) -> listFiles(sftp, dir));
        }
        List<String> subdirs = channels.call("list data", dir, (sftp, attempt) -> {
            List<String> out = new ArrayList<>();
            for (DirEntry e : readDirOrEmpty(sftp, dir)) {
                if (e.getAttributes().isDirectory() && e.getFilename().length() == 2
                        && Character.digit(e.getFilename().charAt(0), 16) >= 0
                        && Character.digit(e.getFilename().charAt(1), 16) >= 0) {
                    out.add(dir + "/" + e.getFilename());
                }
            }
            return out;
        });
        List<FileInfo> out = new ArrayList<>();
        for (String sub : subdirs) {
            out.addAll(channels.call("list " + sub, sub, (sftp, attempt) -> listFiles(sftp, sub)));
        }
        return out;
    }

    private static List<FileInfo> listFiles(SftpClient sftp, String dir) throws IOException {
        List<FileInfo> out = new ArrayList<>();
        for (DirEntry e : readDirOrEmpty(sftp, dir)) {
            // Only complete files carry a valid id as name; "<id>-tmp-<random>" are writes in progress.
            if (Id.isValid(e.getFilename()) && e.getAttributes().isRegularFile()) {
                java.nio.file.attribute.FileTime mtime = e.getAttributes().getModifyTime();
                out.add(new FileInfo(e.getFilename(), e.getAttributes().getSize(),
                        java.util.Optional.ofNullable(mtime).map(java.nio.file.attribute.FileTime::toInstant)));
            }
        }
        return out;
    }

    /** The entries of a folder, read in batches as the server sends them; a missing folder is empty. */
    private static Iterable<DirEntry> readDirOrEmpty(SftpClient sftp, String dir) throws IOException {
        try (CloseableHandle h = sftp.openDir(dir)) {
            List<DirEntry> all = new ArrayList<>();
            for (List<DirEntry> batch; (batch = sftp.readDir(h)) != null;) {
                all.addAll(batch);
            }
            return all;
        } catch (SftpException e) {
            if (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE || e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_PATH) {
                return List.of();
            }
            throw e;
        }
    }

    @Override
    public long size(Handle handle) throws IOException {
        String p = path(handle);
        return channels.call("stat " + handle, p, (sftp, attempt) -> sftp.stat(p).getSize());
    }

    @Override
    public byte[] read(Handle handle, long offset, int length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        String p = path(handle);
        return channels.call("read " + handle, p, (sftp, attempt) -> {
            try (CloseableHandle fh = sftp.open(p, OpenMode.Read)) {
                long n = length;
                if (length < 0) {
                    long size = sftp.stat(fh).getSize();
                    n = size - offset;
                    if (n < 0) {
                        throw SftpErrors.decided(pastEnd(handle, offset, n, size));
                    }
                }
                if (n > Integer.MAX_VALUE - 16) {
                    throw SftpErrors.decided(new IOException(handle + ": too large to read at once (" + n + " bytes)"));
                }
                byte[] buf = new byte[(int) n];
                int got = n >= ASYNC_READ_THRESHOLD ? readPipelined(sftp, p, fh, offset, buf)
                        : readSimple(sftp, fh, offset, buf);
                if (got < n) {
                    long size = sftp.stat(fh).getSize();
                    throw SftpErrors.decided(pastEnd(handle, offset, n, size));
                }
                return buf;
            }
        });
    }

    private static EOFException pastEnd(Handle handle, long offset, long n, long size) {
        return new EOFException(handle + ": read of " + n + " bytes at " + offset + " is past the end (" + size
                + " bytes)");
    }

    private static int readSimple(SftpClient sftp, CloseableHandle fh, long offset, byte[] buf) throws IOException {
        int got = 0;
        while (got < buf.length) {
            int r = sftp.read(fh, offset + got, buf, got, buf.length - got);
            if (r < 0) {
                break;
            }
            got += r;
        }
        return got;
    }

    /** Keeps several read requests in flight, which matters on links with latency. */
    private static int readPipelined(SftpClient sftp, String p, CloseableHandle fh, long offset, byte[] buf)
            throws IOException {
        try (InputStream in = new SftpInputStreamAsync((AbstractSftpClient) sftp, READ_BUFFER, offset,
                offset + buf.length, p, fh, false)) {
            int got = 0;
            while (got < buf.length) {
                int r = in.read(buf, got, buf.length - got);
                if (r < 0) {
                    break;
                }
                got += r;
            }
            return got;
        }
    }

    @Override
    public void write(Handle handle, byte[] data) throws IOException {
        String target = path(handle);
        String dir = target.substring(0, target.lastIndexOf('/'));
        List<String> leftovers = new ArrayList<>();
        channels.call("write " + handle, target, (sftp, attempt) -> {
            // Temp files of attempts cut short by a lost connection: never listed, but not to be left behind.
            for (String old : List.copyOf(leftovers)) {
                removeQuietly(sftp, old);
                leftovers.remove(old);
            }
            if (statOrNull(sftp, target) != null) {
                if (attempt > 1 && sameContent(sftp, target, data)) {
                    return null; // an earlier attempt's rename went through, only its answer was lost
                }
                throw SftpErrors.decided(new FileAlreadyExistsException(target));
            }
            String tmp = target + "-tmp-" + randomSuffix();
            leftovers.add(tmp);
            try {
                upload(sftp, dir, tmp, data);
            } catch (SftpException e) {
                // The server is there and refused: clean up now, and say why (OpenSSH reports a full disk as a
                // plain failure, so ask it for the free space as restic does).
                removeQuietly(sftp, tmp);
                leftovers.remove(tmp);
                throw diskFullOr(sftp, dir, data.length, e, target);
            }
            try {
                sftp.rename(tmp, target);
            } catch (SftpException e) {
                removeQuietly(sftp, tmp);
                leftovers.remove(tmp);
                if (statOrNull(sftp, target) != null) {
                    throw SftpErrors.decided(new FileAlreadyExistsException(target));
                }
                throw e;
            }
            leftovers.remove(tmp);
            return null;
        });
    }

    private static String randomSuffix() {
        byte[] rnd = new byte[6];
        RANDOM.nextBytes(rnd);
        return HexFormat.of().formatHex(rnd);
    }

    private static void upload(SftpClient sftp, String dir, String tmp, byte[] data) throws IOException {
        Set<OpenMode> modes = EnumSet.of(OpenMode.Write, OpenMode.Create, OpenMode.Exclusive);
        CloseableHandle fh;
        try {
            fh = sftp.open(tmp, modes);
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE && e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_PATH) {
                throw e;
            }
            mkdirs(sftp, dir); // data/xx is created with its first pack
            fh = sftp.open(tmp, modes);
        }
        try (SftpOutputStreamAsync out = new SftpOutputStreamAsync((AbstractSftpClient) sftp, WRITE_BUFFER, tmp, fh,
                true)) {
            // Restrict the mode while the file is still empty.
            sftp.setStat(fh, new Attributes().perms(FILE_MODE));
            out.write(data);
        }
    }

    private static IOException diskFullOr(SftpClient sftp, String dir, long needed, SftpException e, String target) {
        IOException mapped = SftpErrors.map(e, target);
        if (mapped instanceof RemoteDiskFullException || e.getStatus() != SftpConstants.SSH_FX_FAILURE) {
            return SftpErrors.decided(mapped);
        }
        try {
            OpenSSHStatPathExtension statvfs = sftp.getExtension(OpenSSHStatPathExtension.class);
            if (statvfs != null && statvfs.isSupported()) {
                OpenSSHStatExtensionInfo info = statvfs.stat(dir);
                long free = info.f_bavail * info.f_frsize;
                if (free < needed) {
                    return SftpErrors.decided(new RemoteDiskFullException(target + ": no space left on the remote file"
                            + " system (" + free + " bytes free, " + needed + " needed)", e));
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no free-space information; report the original failure
        }
        return SftpErrors.decided(mapped);
    }

    private static boolean sameContent(SftpClient sftp, String path, byte[] data) throws IOException {
        try (CloseableHandle fh = sftp.open(path, OpenMode.Read)) {
            if (sftp.stat(fh).getSize() != data.length) {
                return false;
            }
            byte[] buf = new byte[data.length];
            return readSimple(sftp, fh, 0, buf) == data.length && Arrays.equals(buf, data);
        }
    }

    private static void removeQuietly(SftpClient sftp, String path) {
        try {
            sftp.remove(path);
        } catch (SftpException e) {
            if (e.getStatus() != SftpConstants.SSH_FX_NO_SUCH_FILE) {
                LOG.warn("cannot remove temporary file {}: {}", path, e.getMessage());
            }
        } catch (IOException e) {
            LOG.warn("cannot remove temporary file {}: {}", path, e.getMessage());
        }
    }

    @Override
    public void delete(Handle handle) throws IOException {
        String p = path(handle);
        channels.call("delete " + handle, p, (sftp, attempt) -> {
            try {
                sftp.remove(p);
            } catch (SftpException e) {
                if (attempt > 1 && (e.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE)) {
                    return null; // removed by the attempt whose answer was lost
                }
                throw e;
            }
            return null;
        });
    }

    @Override
    public boolean isPermanent(IOException e) {
        return !(e instanceof SshConnectionException);
    }

    @Override
    public void close() throws IOException {
        channels.close();
        if (ownsConnection) {
            channels.connection().close();
        }
    }

    @Override
    public String toString() {
        return "SftpBackend[" + location() + "]";
    }
}
