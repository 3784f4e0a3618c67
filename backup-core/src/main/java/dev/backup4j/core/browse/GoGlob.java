package dev.backup4j.core.browse;

import dev.backup4j.core.snapshot.FileNames;

/**
 * Go's {@code path/filepath.Match} on Unix, over bytes: {@code *} any run of bytes without '/', {@code ?} one
 * character (a UTF-8 sequence, or one byte that is not UTF-8), {@code [...]} a character class ({@code ^} negates,
 * {@code a-z} ranges), {@code \} escapes the next character; any other byte matches itself.
 */
final class GoGlob {
    private GoGlob() {
    }

    /** Thrown inside matching for a malformed pattern. */
    private static final class BadPattern extends Exception {
        private static final long serialVersionUID = 1L;

        BadPattern() {
            super(null, null, false, false);
        }
    }

    /**
     * Throws if {@code glob} is malformed.
     *
     * @param whole the pattern it came from, for the message
     */
    static void validate(byte[] glob, String whole) {
        try {
            int p = 0;
            while (p < glob.length) {
                int[] chunk = scanChunk(glob, p);
                matchChunk(glob, chunk[1], chunk[2], new byte[0], 0);
                p = chunk[2];
            }
        } catch (BadPattern e) {
            throw new IllegalArgumentException("invalid pattern '" + FileNames.printable(whole)
                    + "': syntax error in pattern");
        }
    }

    /** True if the whole of {@code name} matches {@code glob} (already validated). */
    static boolean match(byte[] glob, byte[] name) {
        try {
            return doMatch(glob, name);
        } catch (BadPattern e) {
            return false; // validated when compiled
        }
    }

    private static boolean doMatch(byte[] glob, byte[] name) throws BadPattern {
        int p = 0;
        int n = 0;
        pattern:
        while (p < glob.length) {
            int[] chunk = scanChunk(glob, p);
            boolean star = chunk[0] == 1;
            int cStart = chunk[1];
            int cEnd = chunk[2];
            p = cEnd;
            if (star && cStart == cEnd) {
                return indexOf(name, n, (byte) '/') < 0; // a trailing * matches the rest unless it has a '/'
            }
            int t = matchChunk(glob, cStart, cEnd, name, n);
            if (t >= 0 && (t == name.length || p < glob.length)) {
                n = t;
                continue;
            }
            if (star) {
                for (int i = n; i < name.length && name[i] != '/'; i++) {
                    t = matchChunk(glob, cStart, cEnd, name, i + 1);
                    if (t >= 0) {
                        if (p >= glob.length && t < name.length) {
                            continue; // the last chunk must match the end of the name
                        }
                        n = t;
                        continue pattern;
                    }
                }
            }
            return false;
        }
        return n == name.length;
    }

    private static int indexOf(byte[] b, int from, byte x) {
        for (int i = from; i < b.length; i++) {
            if (b[i] == x) {
                return i;
            }
        }
        return -1;
    }

    /** {star ? 1 : 0, chunk start, chunk end}: leading stars skipped, the chunk up to the next unbracketed star. */
    private static int[] scanChunk(byte[] g, int p) {
        int star = 0;
        while (p < g.length && g[p] == '*') {
            p++;
            star = 1;
        }
        boolean inRange = false;
        int i = p;
        scan:
        for (; i < g.length; i++) {
            switch (g[i]) {
                case '\\' -> {
                    if (i + 1 < g.length) {
                        i++;
                    }
                }
                case '[' -> inRange = true;
                case ']' -> inRange = false;
                case '*' -> {
                    if (!inRange) {
                        break scan;
                    }
                }
                default -> {
                }
            }
        }
        return new int[] {star, p, i};
    }

    /**
     * Matches the chunk {@code g[cs..ce)} against the start of {@code s[si..]}; returns the index after the match,
     * or -1. After a mismatch it reads on through the chunk to report a malformed pattern, as Go does.
     */
    private static int matchChunk(byte[] g, int cs, int ce, byte[] s, int si) throws BadPattern {
        boolean failed = false;
        int c = cs;
        while (c < ce) {
            if (!failed && si >= s.length) {
                failed = true;
            }
            byte b = g[c];
            if (b == '[') {
                int r = 0;
                if (!failed) {
                    long rw = decodeRune(s, si);
                    r = (int) (rw >>> 32);
                    si += (int) rw;
                }
                c++;
                boolean negated = false;
                if (c < ce && g[c] == '^') {
                    negated = true;
                    c++;
                }
                boolean matched = false;
                int nrange = 0;
                while (true) {
                    if (c < ce && g[c] == ']' && nrange > 0) {
                        c++;
                        break;
                    }
                    long lo = getEsc(g, c, ce);
                    int loRune = (int) (lo >>> 32);
                    c = (int) lo;
                    int hiRune = loRune;
                    if (g[c] == '-') {
                        long hi = getEsc(g, c + 1, ce);
                        hiRune = (int) (hi >>> 32);
                        c = (int) hi;
                    }
                    if (loRune <= r && r <= hiRune) {
                        matched = true;
                    }
                    nrange++;
                }
                if (matched == negated) {
                    failed = true;
                }
            } else if (b == '?') {
                if (!failed) {
                    if (s[si] == '/') {
                        failed = true;
                    }
                    si += (int) decodeRune(s, si);
                }
                c++;
            } else {
                if (b == '\\') {
                    c++;
                    if (c >= ce) {
                        throw new BadPattern();
                    }
                }
                if (!failed) {
                    if (g[c] != s[si]) {
                        failed = true;
                    }
                    si++;
                }
                c++;
            }
        }
        return failed ? -1 : si;
    }

    /** A class member: (rune << 32) | index after it. Go's getEsc. */
    private static long getEsc(byte[] g, int c, int ce) throws BadPattern {
        if (c >= ce || g[c] == '-' || g[c] == ']') {
            throw new BadPattern();
        }
        if (g[c] == '\\') {
            c++;
            if (c >= ce) {
                throw new BadPattern();
            }
        }
        long rw = decodeRune(g, c, ce);
        int r = (int) (rw >>> 32);
        int w = (int) rw;
        if (r == 0xFFFD && w == 1) {
            throw new BadPattern();
        }
        c += w;
        if (c >= ce) {
            throw new BadPattern();
        }
        return (long) r << 32 | c;
    }

    private static long decodeRune(byte[] b, int i) {
        return decodeRune(b, i, b.length);
    }

    /**
     * Go's {@code utf8.DecodeRune} at {@code b[i]}: (rune << 32) | width; an invalid byte is U+FFFD of width 1.
     */
    static long decodeRune(byte[] b, int i, int end) {
        int c0 = b[i] & 0xFF;
        if (c0 < 0x80) {
            return (long) c0 << 32 | 1;
        }
        int need;
        int lo = 0x80;
        int hi = 0xBF;
        if (c0 >= 0xC2 && c0 <= 0xDF) {
            need = 2;
        } else if (c0 >= 0xE0 && c0 <= 0xEF) {
            need = 3;
            if (c0 == 0xE0) {
                lo = 0xA0;
            } else if (c0 == 0xED) {
                hi = 0x9F;
            }
        } else if (c0 >= 0xF0 && c0 <= 0xF4) {
            need = 4;
            if (c0 == 0xF0) {
                lo = 0x90;
            } else if (c0 == 0xF4) {
                hi = 0x8F;
            }
        } else {
            return (long) 0xFFFD << 32 | 1;
        }
        if (i + need > end) {
            return (long) 0xFFFD << 32 | 1;
        }
        int c1 = b[i + 1] & 0xFF;
        if (c1 < lo || c1 > hi) {
            return (long) 0xFFFD << 32 | 1;
        }
        int r = need == 2 ? c0 & 0x1F : need == 3 ? c0 & 0x0F : c0 & 0x07;
        r = r << 6 | c1 & 0x3F;
        for (int k = 2; k < need; k++) {
            int ck = b[i + k] & 0xFF;
            if ((ck & 0xC0) != 0x80) {
                return (long) 0xFFFD << 32 | 1;
            }
            r = r << 6 | ck & 0x3F;
        }
        return (long) r << 32 | need;
    }
}
