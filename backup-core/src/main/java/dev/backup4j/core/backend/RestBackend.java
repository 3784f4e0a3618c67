package dev.backup4j.core.backend;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.backup4j.core.common.Json;
import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * restic's REST protocol (version 2, as rest-server and {@code rclone serve restic} speak it): {@code config} and
 * {@code TYPE/NAME} under the repository URL ({@code data}, {@code keys}, {@code locks}, {@code snapshots},
 * {@code index}; packs are not split into sub-folders on the wire), {@code POST} to write, {@code GET} with a
 * {@code Range} to read, {@code HEAD} for sizes, {@code DELETE}, and {@code GET TYPE/} with
 * {@code Accept: application/vnd.x.restic.rest.v2} to list names and sizes ({@code POST /?create=true} creates the
 * repository). User and password in the URL are sent as HTTP basic authentication and never shown.
 *
 * <p>The protocol has no write-if-absent: servers overwrite (rclone) or refuse with 403 in append-only mode. To keep
 * {@link Backend#write}'s contract, a write first asks whether the file exists. Repository files are
 * content-addressed, so two writers racing on one name write the same bytes. An append-only server answers 403 to
 * deleting anything but a lock and to overwriting: those become {@link AccessDeniedException}s whose message names
 * the append-only server, and which are permanent.
 */
final class RestBackend implements Backend, Backends.LayoutAware {
    private static final String V2 = "application/vnd.x.restic.rest.v2";

    private final URI base;
    private final String location;
    private final Optional<String> authorization;
    private final HttpClient http;
    private final Duration timeout;

    RestBackend(URI url, Duration timeout) {
        Objects.requireNonNull(url, "url");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("a REST repository URL is http:// or https://, got '" + url + "'");
        }
        String userInfo = url.getRawUserInfo();
        this.authorization = userInfo == null ? Optional.empty() : Optional.of("Basic " + Base64.getEncoder()
                .encodeToString(decode(userInfo).getBytes(StandardCharsets.UTF_8)));
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        this.base = URI.create(url.getScheme() + "://" + url.getRawAuthority().substring(
                userInfo == null ? 0 : userInfo.length() + 1) + path);
        this.location = "rest:" + base;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30))
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    private static String decode(String s) {
        return java.net.URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String location() {
        return location;
    }

    private URI uri(Handle h) {
        return base.resolve(h.type() == FileType.CONFIG ? "config" : h.type().folder() + "/" + h.name());
    }

    private HttpRequest.Builder request(URI u) {
        HttpRequest.Builder b = HttpRequest.newBuilder(u).timeout(timeout);
        authorization.ifPresent(a -> b.header("Authorization", a));
        return b;
    }

    private <T> HttpResponse<T> send(HttpRequest r, HttpResponse.BodyHandler<T> body) throws IOException {
        try {
            return http.send(r, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException(r.method() + " " + r.uri().getPath() + " interrupted");
        }
    }

    private IOException failure(HttpResponse<?> r, String what, Handle h) {
        int code = r.statusCode();
        String target = h == null ? base.getPath() : h.toString();
        return switch (code) {
            case 404 -> new NoSuchFileException(target, null, what + ": not found on " + location);
            case 401 -> new AccessDeniedException(target, null, what + ": the REST server at " + location
                    + " refused the credentials (401)");
            case 403 -> new AccessDeniedException(target, null, what + ": the REST server at " + location
                    + " refused (403); it may be an append-only server, which only adds files and removes locks");
            case 416 -> new EOFException(target + ": " + what + " past the end (416)");
            default -> new IOException(what + " " + target + ": HTTP " + code + " from " + location);
        };
    }

    @Override
    public void createLayout() throws IOException {
        HttpResponse<Void> r = send(request(URI.create(base + "?create=true")).POST(HttpRequest.BodyPublishers
                .noBody()).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw failure(r, "creating the repository", null);
        }
    }

    @Override
    public List<FileInfo> list(FileType type) throws IOException {
        if (type == FileType.CONFIG) {
            List<FileInfo> out = new ArrayList<>();
            if (exists(Handle.CONFIG)) {
                out.add(new FileInfo("config", size(Handle.CONFIG)));
            }
            return out;
        }
        HttpResponse<byte[]> r = send(request(base.resolve(type.folder() + "/")).header("Accept", V2).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() == 404) {
            return new ArrayList<>(); // a folder not created yet
        }
        if (r.statusCode() != 200) {
            throw failure(r, "listing " + type.folder(), null);
        }
        List<FileInfo> out = new ArrayList<>();
        try (JsonParser p = Json.parser(r.body())) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IOException(location + " listed " + type.folder() + " in a form other than REST v2's");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String name = null;
                long size = -1;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    if (f.equals("name")) {
                        name = p.getText();
                    } else if (f.equals("size")) {
                        size = p.getLongValue();
                    } else {
                        p.skipChildren();
                    }
                }
                if (name != null && size >= 0 && !name.startsWith(".") && name.indexOf('/') < 0) {
                    out.add(new FileInfo(name, size));
                }
            }
        }
        return out;
    }

    @Override
    public long size(Handle handle) throws IOException {
        HttpResponse<Void> r = send(request(uri(handle)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw failure(r, "size of", handle);
        }
        return r.headers().firstValueAsLong("Content-Length").orElseThrow(() -> new IOException(location
                + " sent no Content-Length for " + handle));
    }

    @Override
    public byte[] read(Handle handle, long offset, int length) throws IOException {
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (length == 0) {
            if (offset > size(handle)) {
                throw new EOFException(handle + ": offset " + offset + " is past the end");
            }
            return new byte[0];
        }
        HttpRequest.Builder b = request(uri(handle)).GET();
        if (offset > 0 || length > 0) {
            b.header("Range", "bytes=" + offset + "-" + (length > 0 ? Long.toString(offset + length - 1) : ""));
        }
        HttpResponse<byte[]> r = send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200 && r.statusCode() != 206) {
            throw failure(r, "reading", handle);
        }
        byte[] body = r.body();
        if (r.statusCode() == 200 && (offset > 0 || length > 0)) {
            // a server that ignored the range sent the whole file
            if (offset > body.length) {
                throw new EOFException(handle + ": offset " + offset + " is past the end (" + body.length + ")");
            }
            int end = length > 0 ? (int) Math.min(body.length, offset + length) : body.length;
            body = java.util.Arrays.copyOfRange(body, (int) offset, end);
        }
        if (length < 0 && offset > 0 && body.length == 0 && offset > size(handle)) {
            // rclone answers a range that starts past the end with an empty 206
            throw new EOFException(handle + ": offset " + offset + " is past the end");
        }
        if (length > 0 && body.length != length) {
            throw new EOFException(handle + ": read " + body.length + " bytes of " + length + " at " + offset);
        }
        return body;
    }

    @Override
    public void write(Handle handle, byte[] data) throws IOException {
        if (exists(handle)) {
            throw new FileAlreadyExistsException(handle.toString(), null, "exists on " + location);
        }
        HttpResponse<Void> r = send(request(uri(handle)).header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() != 200) {
            throw failure(r, "writing", handle);
        }
    }

    @Override
    public void delete(Handle handle) throws IOException {
        HttpResponse<Void> r = send(request(uri(handle)).DELETE().build(), HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 403 && !exists(handle)) {
            // append-only servers refuse to delete even a missing file
            throw new NoSuchFileException(handle.toString(), null, "not found on " + location);
        }
        if (r.statusCode() != 200) {
            throw failure(r, "deleting", handle);
        }
    }

    @Override
    public boolean isPermanent(IOException e) {
        return Backend.super.isPermanent(e) || e.getMessage() != null && e.getMessage().contains("HTTP 4");
    }

    @Override
    public String toString() {
        return location;
    }
}
