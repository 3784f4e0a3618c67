package dev.backup4j.retention;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.temporal.IsoFields;
import java.time.zone.ZoneOffsetTransition;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.impl.Constraint;

/** Generators of snapshot histories that aim at the hard cases: DST days, week 53, leap days, gaps, bursts, ties. */
final class Histories {

    static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("Europe/Brussels"), ZoneId.of("America/New_York"),
            ZoneId.of("Australia/Sydney"), ZoneId.of("Asia/Kolkata"), ZoneId.of("America/St_Johns"),
            ZoneId.of("Australia/Lord_Howe"), ZoneId.of("Pacific/Chatham"), ZoneId.of("Europe/London"));

    /** Instants worth clustering around: year ends with an ISO week 53, leap days, and the zone's DST changes. */
    static List<Instant> anchors(ZoneId zone) {
        List<Instant> a = new ArrayList<>();
        for (String d : List.of("2015-12-31T12:00:00Z", "2020-12-31T12:00:00Z", "2026-12-31T12:00:00Z",
                "2024-02-29T12:00:00Z", "2000-02-29T12:00:00Z", "2023-01-01T00:00:00Z", "2019-06-15T00:00:00Z")) {
            a.add(Instant.parse(d));
        }
        ZoneOffsetTransition t = zone.getRules().nextTransition(Instant.parse("2022-01-01T00:00:00Z"));
        for (int i = 0; t != null && i < 4; i++) {
            a.add(t.getInstant());
            t = zone.getRules().nextTransition(t.getInstant());
        }
        return a;
    }

    /** A history: the snapshots, the zone rules are read in, and the reference time ("now"). */
    record History(List<SnapshotInfo> snapshots, ZoneId zone, Instant reference) {
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder("History[zone=" + zone + ", reference=" + reference + ", n=" + snapshots.size() + "]");
            for (SnapshotInfo s : snapshots) {
                b.append("\n  ").append(s.id()).append(' ').append(s.time().atZone(zone).toOffsetDateTime())
                        .append(' ').append(s.host()).append(' ').append(s.tags()).append(s.held() ? " held" : "");
            }
            return b.toString();
        }
    }

    private Histories() {
    }

    /** true or false. */
    static Gen<Boolean> bools() {
        return in -> in.next(Constraint.between(0, 1)) == 1;
    }

    static long between(RandomnessSource in, long lo, long hi) {
        return in.next(Constraint.between(lo, hi));
    }

    /** Histories of up to {@code maxSize} snapshots. */
    static Gen<History> histories(int maxSize) {
        return in -> {
            ZoneId zone = ZONES.get((int) between(in, 0, ZONES.size() - 1));
            List<Instant> anchors = anchors(zone);
            Instant anchor = anchors.get((int) between(in, 0, anchors.size() - 1));
            int n = (int) between(in, 0, maxSize);
            // Start somewhere before the anchor so the history runs across it.
            Instant t = anchor.minusSeconds(between(in, 0, 40L * 86400));
            List<SnapshotInfo> list = new ArrayList<>();
            Set<String> ids = new HashSet<>();
            for (int i = 0; i < n; i++) {
                long step = switch ((int) between(in, 0, 9)) {
                    case 0 -> 0; // same instant as the previous one
                    case 1 -> between(in, 1, 5400); // a burst
                    case 2, 3 -> between(in, 1, 30) * 3600; // hours
                    case 4, 5, 6 -> 86400 + between(in, -7200, 7200); // about daily
                    case 7 -> between(in, 1, 12) * 86400; // gap of days
                    case 8 -> between(in, 1, 20) * 7 * 86400; // gap of weeks
                    default -> between(in, 30, 400) * 86400; // gap of months
                };
                t = t.plusSeconds(step);
                String id;
                do {
                    id = String.format("%06x", between(in, 0, 0xffffff));
                } while (!ids.add(id));
                String host = between(in, 0, 3) == 0 ? "b" : "a";
                Set<String> tags = new HashSet<>();
                long tagBits = between(in, 0, 7);
                if ((tagBits & 1) != 0) {
                    tags.add("x");
                }
                if ((tagBits & 2) != 0) {
                    tags.add("y");
                }
                if ((tagBits & 4) != 0 && between(in, 0, 1) == 0) {
                    tags.add("z");
                }
                boolean held = between(in, 0, 15) == 0;
                list.add(new SnapshotInfo(id, t, host, List.of("/data"), tags, held));
            }
            // The reference is around the newest snapshot: sometimes before it (future-dated snapshots).
            Instant newest = list.isEmpty() ? anchor : list.get(list.size() - 1).time();
            Instant reference = newest.plusSeconds(between(in, -3L * 86400, 20L * 86400));
            return new History(List.copyOf(list), zone, reference);
        };
    }

    /** The edge cases a history reaches, for the coverage counters. */
    static Set<String> classify(History h) {
        Set<String> c = new HashSet<>();
        List<SnapshotInfo> s = h.snapshots();
        if (s.isEmpty()) {
            c.add("empty history");
        }
        for (int i = 0; i < s.size(); i++) {
            Instant t = s.get(i).time();
            LocalDateTime l = LocalDateTime.ofInstant(t, h.zone());
            LocalDate d = l.toLocalDate();
            Duration dayLength = Duration.between(d.atStartOfDay(h.zone()), d.plusDays(1).atStartOfDay(h.zone()));
            if (!dayLength.equals(Duration.ofDays(1))) {
                c.add("snapshot on a DST day");
            }
            if (l.get(IsoFields.WEEK_OF_WEEK_BASED_YEAR) == 53) {
                c.add("snapshot in ISO week 53");
            }
            if (d.getMonthValue() == 2 && d.getDayOfMonth() == 29) {
                c.add("snapshot on a leap day");
            }
            if (d.getDayOfWeek() == DayOfWeek.SUNDAY && d.getMonthValue() == 1 && d.getDayOfMonth() <= 3) {
                c.add("snapshot on a Sunday of ISO week 52/53 in January");
            }
            if (t.isAfter(h.reference())) {
                c.add("future-dated snapshot");
            }
            if (s.get(i).held()) {
                c.add("held snapshot");
            }
            if (i > 0) {
                Instant p = s.get(i - 1).time();
                if (p.equals(t)) {
                    c.add("two snapshots at the same instant");
                }
                LocalDate pd = LocalDate.ofInstant(p, h.zone());
                if (pd.plusDays(1).isBefore(d)) {
                    c.add("empty day between snapshots");
                }
                if (pd.plusMonths(1).withDayOfMonth(1).isBefore(d.withDayOfMonth(1))) {
                    c.add("empty month between snapshots");
                }
                if (pd.getYear() != d.getYear()) {
                    c.add("crosses a year boundary");
                }
            }
        }
        return c;
    }
}
