package dev.backup4j.ssh;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A repository location on an SFTP server, in either of restic's two forms, with restic's meaning:
 * <ul>
 *   <li>{@code sftp:user@host:/srv/repo} (absolute path) and {@code sftp:user@host:repo} (relative to the login
 *       directory); the host may be {@code [::1]};</li>
 *   <li>{@code sftp://user@host:2222/repo} (relative to the login directory!) and {@code sftp://user@host:2222//srv/repo}
 *       (absolute: note the double slash).</li>
 * </ul>
 * The user is optional (then the JVM's {@code user.name} is used, as ssh would); a path starting with {@code ~} is
 * refused as restic refuses it, since SFTP servers do not expand it. Immutable.
 *
 * <pre>{@code
 * SftpRepositoryLocation loc = SftpRepositoryLocation.parse("sftp:backup@nas:/srv/restic");
 * Backend repo = SftpBackends.open(loc.configBuilder().identityFile(key).build(), loc.path());
 * }</pre>
 */
public final class SftpRepositoryLocation {
    private final String user;
    private final String host;
    private final Integer port;
    private final String path;

    private SftpRepositoryLocation(String user, String host, Integer port, String path) {
        this.user = user;
        this.host = host;
        this.port = port;
        this.path = path;
    }

    /** True if {@code repository} names an SFTP location (starts with {@code sftp:}), so {@link #parse} applies. */
    public static boolean isSftp(String repository) {
        return repository != null && repository.startsWith("sftp:");
    }

    /**
     * Parses either form.
     *
     * @throws IllegalArgumentException with a message showing the accepted forms, if {@code repository} is not one of
     *                                  them
     */
    public static SftpRepositoryLocation parse(String repository) {
        Objects.requireNonNull(repository, "repository");
        if (repository.startsWith("sftp://")) {
            return parseUrl(repository);
        }
        if (repository.startsWith("sftp:")) {
            return parseShort(repository);
        }
        throw invalid(repository, "it does not start with sftp:");
    }

    private static IllegalArgumentException invalid(String s, String why) {
        return new IllegalArgumentException("not an SFTP repository location: '" + s + "': " + why
                + "; use sftp:user@host:/absolute/path, sftp:user@host:relative/path,"
                + " sftp://user@host:port//absolute/path or sftp://user@host:port/relative/path");
    }

    private static SftpRepositoryLocation parseUrl(String s) {
        String rest = s.substring("sftp://".length());
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
            throw invalid(s, "no directory given");
        }
        String authority = rest.substring(0, slash);
        String dir = rest.substring(slash + 1);
        String user = null;
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            user = decode(authority.substring(0, at));
            authority = authority.substring(at + 1);
        }
        String host;
        Integer port = null;
        if (authority.startsWith("[")) {
            int close = authority.indexOf(']');
            if (close < 0) {
                throw invalid(s, "unclosed [ in the host");
            }
            host = authority.substring(1, close);
            String after = authority.substring(close + 1);
            if (!after.isEmpty()) {
                if (!after.startsWith(":")) {
                    throw invalid(s, "unexpected text after the host");
                }
                port = parsePort(s, after.substring(1));
            }
        } else {
            int colon = authority.indexOf(':');
            host = colon < 0 ? authority : authority.substring(0, colon);
            if (colon >= 0) {
                port = parsePort(s, authority.substring(colon + 1));
            }
        }
        return make(s, user, host, port, decode(dir));
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static SftpRepositoryLocation parseShort(String s) {
        String rest = s.substring("sftp:".length());
        String user = null;
        int at = rest.lastIndexOf('@', rest.startsWith("[") ? -1 : firstColonOutsideBrackets(rest));
        if (at >= 0) {
            user = rest.substring(0, at);
            rest = rest.substring(at + 1);
        }
        String host;
        String dir;
        if (rest.startsWith("[")) {
            int close = rest.indexOf(']');
            if (close < 0 || close + 1 >= rest.length() || rest.charAt(close + 1) != ':') {
                throw invalid(s, "expected [address]:path");
            }
            host = rest.substring(1, close);
            dir = rest.substring(close + 2);
        } else {
            int colon = rest.indexOf(':');
            if (colon < 0) {
                throw invalid(s, "no ':' between host and path");
            }
            host = rest.substring(0, colon);
            dir = rest.substring(colon + 1);
        }
        return make(s, user, host, null, dir);
    }

    private static int firstColonOutsideBrackets(String s) {
        int c = s.indexOf(':');
        return c < 0 ? s.length() : c;
    }

    private static Integer parsePort(String s, String p) {
        if (p.isEmpty()) {
            return null;
        }
        try {
            int port = Integer.parseInt(p);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(s, "bad port '" + p + "'");
    }

    private static SftpRepositoryLocation make(String s, String user, String host, Integer port, String dir) {
        if (host.isEmpty()) {
            throw invalid(s, "no host given");
        }
        if (user != null && user.isEmpty()) {
            throw invalid(s, "empty user name");
        }
        String p = clean(dir);
        if (p.isEmpty() || p.equals(".")) {
            throw invalid(s, "no directory given");
        }
        if (p.startsWith("~")) {
            throw invalid(s, "the path starts with ~, which SFTP servers do not expand; give a path relative to the"
                    + " login directory instead (sftp:user@host:repo)");
        }
        return new SftpRepositoryLocation(user, host, port, p);
    }

    /** Removes empty and "." segments and a trailing slash, resolves ".." like a path clean, keeps a leading '/'. */
    private static String clean(String dir) {
        boolean absolute = dir.startsWith("/");
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String seg : dir.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..") && !parts.isEmpty() && !parts.peekLast().equals("..")) {
                parts.removeLast();
            } else if (!(seg.equals("..") && absolute)) {
                parts.addLast(seg);
            }
        }
        String joined = String.join("/", parts);
        return absolute ? "/" + joined : joined;
    }

    /** The login name, if the location gives one. */
    public Optional<String> user() {
        return Optional.ofNullable(user);
    }

    /** The host name or address (without brackets). */
    public String host() {
        return host;
    }

    /** The port, if the location gives one. */
    public OptionalInt port() {
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /** The repository directory: absolute if it starts with '/', else relative to the login directory. */
    public String path() {
        return path;
    }

    /**
     * A configuration builder with this location's user (or the JVM's {@code user.name}), host and port already set,
     * to which the caller adds identities and the host key policy.
     */
    public SshConfig.Builder configBuilder() {
        SshConfig.Builder b = SshConfig.builder(user != null ? user : System.getProperty("user.name"), host);
        if (port != null) {
            b.port(port);
        }
        return b;
    }

    /** restic's short form, {@code sftp:user@host:path}, or the URL form when a port is given. */
    @Override
    public String toString() {
        String u = user == null ? "" : user + "@";
        String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
        if (port != null) {
            return "sftp://" + u + h + ":" + port + "/" + path;
        }
        return "sftp:" + u + h + ":" + path;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SftpRepositoryLocation l && Objects.equals(user, l.user) && host.equals(l.host)
                && Objects.equals(port, l.port) && path.equals(l.path);
    }

    @Override
    public int hashCode() {
        return Objects.hash(user, host, port, path);
    }
}
