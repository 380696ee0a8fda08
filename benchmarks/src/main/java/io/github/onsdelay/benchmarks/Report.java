package io.github.onsdelay.benchmarks;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.onsdelay.benchmarks.peers.Stats;

/**
 * The run's tables, in BENCHMARKS.md's format: a row is logged as it is measured and printed again, in its table,
 * at the end; a table without rows is left out.
 */
final class Report {

    /** The tables, in the order they are printed. */
    enum Table {

        /** The library against the raw client. */
        LIBRARY_VS_RAW("| scenario | library (median) | raw client (median) | library / raw |\n|---|---|---|---|"),

        /** Meters and observations on against off. */
        OVERHEAD("| scenario | meters and observations on (median) | off (median) | on / off | control: off again / off |\n"
            + "|---|---|---|---|---|"),

        /** Through the journal against without it. */
        JOURNAL("| scenario | through the journal (median) | without it (median) | journal / without |\n|---|---|---|---|"),

        /** Midnight: one burst due at one instant, side after side. */
        MIDNIGHT("| side | last handler after the instant | p50 | p99 | early | handled | peak held | heap peak (MB) |\n"
            + "|---|---|---|---|---|---|---|---|"),

        /** Flash sale: orders placed at a steady rate, each due a fixed time after it was placed, side after side. */
        FLASH_SALE("| side | p50 | p99 | max | early | handled | lost | run twice | sends took (s) | peak held "
            + "| heap peak (MB) |\n|---|---|---|---|---|---|---|---|---|---|---|"),

        /** Messages due within a second of their send, from an application that has just started, side by side. */
        FIRST_SECOND("| messages, pooled over the rounds | library p50 | p99 | max | raw client p50 | p99 | max |\n"
            + "|---|---|---|---|---|---|---|"),

        /** Verified TLS (a trust bundle) against the client's own unverified TLS, to one TLS-only proxy. */
        TLS("| scenario | verified TLS (median) | unverified TLS (median) | verified / unverified |\n|---|---|---|---|"),

        /** The capacity model's measures, per unit. */
        CAPACITY("| measure | figure | how |\n|---|---|---|");

        private final String header;

        Table(String header) {
            this.header = header;
        }

    }

    private final Map<Table, List<String>> captions = new EnumMap<>(Table.class);

    private final Map<Table, List<String>> rows = new EnumMap<>(Table.class);

    /** A line printed above the table's header. */
    void caption(Table table, String line) {
        captions.computeIfAbsent(table, key -> new ArrayList<>()).add(line);
    }

    /** A row as it is, logged. */
    void row(Table table, String line) {
        add(table, line);
        BenchLog.log(line);
    }

    /** A row of {@link Table#LIBRARY_VS_RAW}: the medians of each side's rounds, and their ratio. */
    void libraryVsRaw(String scenario, List<Double> library, List<Double> raw) {
        double lib = Stats.median(library);
        double rawMedian = Stats.median(raw);
        String ratio = rawMedian == 0 ? "-" : String.format(Locale.ROOT, "%.2f", lib / rawMedian);
        String line = String.format(Locale.ROOT, "| %s | %s | %s | %s |", scenario, number(lib), number(rawMedian), ratio);
        add(Table.LIBRARY_VS_RAW, line);
        BenchLog.log(line + "   rounds: library " + library + ", raw " + raw);
    }

    /**
     * A row of {@link Table#OVERHEAD}: the medians of the observed, plain and control applications' rounds; on / off,
     * and control / off as the noise.
     */
    void overhead(String scenario, List<List<Double>> rates) {
        double on = Stats.median(rates.get(0));
        double off = Stats.median(rates.get(1));
        double control = Stats.median(rates.get(2));
        String line = String.format(Locale.ROOT, "| %s | %s | %s | %.3f | %.3f |", scenario, number(on), number(off),
            on / off, control / off);
        add(Table.OVERHEAD, line);
        BenchLog.log(line + "   rounds: on " + rates.get(0) + ", off " + rates.get(1) + ", control " + rates.get(2));
    }

    /** A row of {@link Table#TLS}: the medians of each side's rounds, and their ratio. */
    void tls(String scenario, List<Double> verified, List<Double> unverified) {
        double on = Stats.median(verified);
        double off = Stats.median(unverified);
        String line = String.format(Locale.ROOT, "| %s | %s | %s | %.2f |", scenario, number(on), number(off), on / off);
        add(Table.TLS, line);
        BenchLog.log(line + "   rounds: verified " + verified + ", unverified " + unverified);
    }

    /** A row of {@link Table#JOURNAL}; figures below 10 on both sides with two decimals. */
    void journal(String scenario, double journal, double without) {
        boolean small = journal < 10 && without < 10;
        row(Table.JOURNAL, String.format(Locale.ROOT, "| %s | %s | %s | %.2f |", scenario,
            small ? String.format(Locale.ROOT, "%.2f", journal) : number(journal),
            small ? String.format(Locale.ROOT, "%.2f", without) : number(without), journal / without));
    }

    private void add(Table table, String line) {
        rows.computeIfAbsent(table, key -> new ArrayList<>()).add(line);
    }

    /** Every table that has rows: its captions, its header and its rows; tables apart by a blank line. */
    String tables() {
        List<String> tables = new ArrayList<>();
        for (Table table : Table.values()) {
            List<String> tableRows = rows.get(table);
            if (tableRows == null) {
                continue;
            }
            List<String> lines = new ArrayList<>();
            List<String> tableCaptions = captions.get(table);
            if (tableCaptions != null) {
                lines.addAll(tableCaptions);
                lines.add("");
            }
            lines.add(table.header);
            lines.addAll(tableRows);
            tables.add(String.join("\n", lines));
        }
        return String.join("\n\n", tables);
    }

    /** Whole numbers from 100 up, else one decimal. */
    static String number(double value) {
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

}
