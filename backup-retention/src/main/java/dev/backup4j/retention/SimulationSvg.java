package dev.backup4j.retention;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Draws a {@link SimulationResult} as an SVG timeline (no library: the module has no main dependency for it). */
final class SimulationSvg {
    private static final int WIDTH = 960;
    private static final int HEIGHT = 600;
    private static final int LEFT = 80;
    private static final int RIGHT = 30;
    private static final int TOP = 60;
    private static final int BOTTOM = 70;
    private static final String[][] LIFETIME_CLASSES = {
        {"#c8c8c8", "lived under 8 days"},
        {"#4c78a8", "8 to 35 days"},
        {"#f58518", "35 to 130 days"},
        {"#d62728", "over 130 days"},
    };

    private SimulationSvg() {
    }

    static String render(SimulationResult r, RetentionPolicy policy, BackupSchedule schedule, Instant from, Instant to, Instant simEnd) {
        if (!to.isAfter(from)) {
            throw new IllegalArgumentException("the chart's end must be after its start");
        }
        ZoneId zone = r.zone();
        List<SimulationResult.SnapshotLife> lives = r.snapshots();
        long x0 = from.getEpochSecond();
        long x1 = to.getEpochSecond();
        long y0 = x0;
        for (SimulationResult.SnapshotLife l : lives) {
            long end = l.removedAt().orElse(simEnd).getEpochSecond();
            if (end > x0 && l.snapshot().time().getEpochSecond() < x1) {
                y0 = Math.min(y0, l.snapshot().time().getEpochSecond());
            }
        }
        double plotW = WIDTH - LEFT - RIGHT;
        double plotH = HEIGHT - TOP - BOTTOM;
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"").append(HEIGHT)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" font-family=\"sans-serif\" font-size=\"11\">\n");
        b.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        b.append("<text x=\"").append(LEFT).append("\" y=\"20\" font-size=\"14\" font-weight=\"bold\">")
                .append(xml("Snapshots alive over time: " + schedule + " in " + zone)).append("</text>\n");
        b.append("<text x=\"").append(LEFT).append("\" y=\"38\" fill=\"#555\">")
                .append(xml(shorten(policy.describe(), 150))).append("</text>\n");
        // Month (or year) grid lines on both axes.
        boolean years = x1 - x0 > 3L * 366 * 86400;
        for (YearMonth m = YearMonth.from(LocalDate.ofEpochDay(Math.floorDiv(y0, 86400))).plusMonths(1); ; m = m.plusMonths(1)) {
            long t = m.atDay(1).atStartOfDay(zone).toEpochSecond();
            if (t > x1) {
                break;
            }
            if (years && m.getMonthValue() != 1) {
                continue;
            }
            String label = years ? Integer.toString(m.getYear()) : m.toString();
            double gy = TOP + (x1 - t) * plotH / (x1 - y0);
            b.append(line(LEFT, gy, WIDTH - RIGHT, gy, "#eeeeee", 1));
            b.append("<text x=\"").append(LEFT - 6).append("\" y=\"").append(f(gy + 4)).append("\" text-anchor=\"end\" fill=\"#555\">")
                    .append(label).append("</text>\n");
            if (t >= x0) {
                double gx = LEFT + (t - x0) * plotW / (x1 - x0);
                b.append(line(gx, TOP, gx, HEIGHT - BOTTOM, "#eeeeee", 1));
                b.append("<text x=\"").append(f(gx)).append("\" y=\"").append(HEIGHT - BOTTOM + 16)
                        .append("\" text-anchor=\"middle\" fill=\"#555\">").append(label).append("</text>\n");
            }
        }
        b.append("<text x=\"").append(LEFT + (int) plotW / 2).append("\" y=\"").append(HEIGHT - BOTTOM + 34)
                .append("\" text-anchor=\"middle\">simulated time (a vertical line crosses the restore points that exist then)</text>\n");
        b.append("<text transform=\"translate(16,").append(TOP + (int) plotH / 2).append(") rotate(-90)\" text-anchor=\"middle\">")
                .append("when the snapshot was taken</text>\n");
        // One segment per snapshot; segments that land on the same pixels are drawn once (hourly schedules make
        // tens of thousands of snapshots).
        Set<Long> drawn = new HashSet<>();
        int alive = 0;
        for (SimulationResult.SnapshotLife l : lives) {
            long created = l.snapshot().time().getEpochSecond();
            long end = l.removedAt().orElse(simEnd).getEpochSecond();
            if (end <= x0 || created >= x1) {
                continue;
            }
            if (end >= x1) {
                alive++;
            }
            double sx = LEFT + (Math.max(created, x0) - x0) * plotW / (x1 - x0);
            double ex = LEFT + (Math.min(end, x1) - x0) * plotW / (x1 - x0);
            double sy = TOP + (x1 - created) * plotH / (x1 - y0);
            int cls = lifetimeClass(end - created);
            long key = ((long) Math.round(sx) << 40) ^ ((long) Math.round(ex) << 20) ^ (Math.round(sy * 2) << 2) ^ cls;
            if (!drawn.add(key)) {
                continue;
            }
            b.append(line(sx, sy, Math.max(ex, sx + 0.8), sy, LIFETIME_CLASSES[cls][0], 1.2));
        }
        b.append(line(LEFT, TOP, LEFT, HEIGHT - BOTTOM, "#333", 1));
        b.append(line(LEFT, HEIGHT - BOTTOM, WIDTH - RIGHT, HEIGHT - BOTTOM, "#333", 1));
        int lx = LEFT;
        for (String[] c : LIFETIME_CLASSES) {
            b.append("<rect x=\"").append(lx).append("\" y=\"").append(HEIGHT - 18).append("\" width=\"14\" height=\"4\" fill=\"")
                    .append(c[0]).append("\"/>");
            b.append("<text x=\"").append(lx + 18).append("\" y=\"").append(HEIGHT - 13).append("\">").append(c[1]).append("</text>\n");
            lx += 150;
        }
        b.append("<text x=\"").append(WIDTH - RIGHT).append("\" y=\"").append(HEIGHT - 13).append("\" text-anchor=\"end\">")
                .append("restore points at the right edge: ").append(alive).append("</text>\n");
        return b.append("</svg>\n").toString();
    }

    private static int lifetimeClass(long seconds) {
        long days = seconds / 86400;
        return days < 8 ? 0 : days < 35 ? 1 : days < 130 ? 2 : 3;
    }

    private static String line(double x1, double y1, double x2, double y2, String color, double width) {
        return "<line x1=\"" + f(x1) + "\" y1=\"" + f(y1) + "\" x2=\"" + f(x2) + "\" y2=\"" + f(y2) + "\" stroke=\"" + color
                + "\" stroke-width=\"" + f(width) + "\"/>\n";
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
