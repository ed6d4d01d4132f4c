package dev.mandate.testing;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parser for the Prometheus text exposition format (version 0.0.4): metric families with their
 * TYPE, and samples with labels and values. Strict: a malformed line fails the parse.
 */
public final class PrometheusText {

    public record Sample(String name, Map<String, String> labels, double value) {
    }

    public record Family(String name, String type, List<Sample> samples) {

        public Optional<Sample> sample(String sampleName, Map<String, String> labels) {
            return samples.stream().filter(s -> s.name().equals(sampleName)
                    && s.labels().entrySet().containsAll(labels.entrySet())).findFirst();
        }

        /** Label keys of the family's samples, without the histogram's "le". */
        public java.util.Set<String> labelKeys() {
            java.util.Set<String> keys = new java.util.TreeSet<>();
            samples.forEach(s -> keys.addAll(s.labels().keySet()));
            keys.remove("le");
            return keys;
        }
    }

    private static final Pattern TYPE = Pattern.compile("^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? ([-+]?[0-9.eE+-]+|NaN|[+-]Inf)( [0-9]+)?$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");
    private static final List<String> SUFFIXES = List.of("_total", "_created", "_bucket", "_count", "_sum", "");

    private PrometheusText() {
    }

    public static Map<String, Family> parse(String text) {
        Map<String, Family> families = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("# HELP")) {
                continue;
            }
            Matcher t = TYPE.matcher(line);
            if (t.matches()) {
                families.put(t.group(1), new Family(t.group(1), t.group(2), new ArrayList<>()));
                continue;
            }
            if (line.startsWith("#")) {
                continue;
            }
            Matcher s = SAMPLE.matcher(line);
            if (!s.matches()) {
                throw new IllegalArgumentException("not a Prometheus sample line: " + line);
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (s.group(3) != null && !s.group(3).isEmpty()) {
                Matcher l = LABEL.matcher(s.group(3));
                int end = 0;
                while (l.find()) {
                    if (l.start() != end) {
                        throw new IllegalArgumentException("bad labels: " + line);
                    }
                    labels.put(l.group(1), l.group(2));
                    end = l.end();
                }
                if (end != s.group(3).length()) {
                    throw new IllegalArgumentException("bad labels: " + line);
                }
            }
            String name = s.group(1);
            Family f = familyOf(families, name);
            if (f == null) {
                throw new IllegalArgumentException("sample without a TYPE: " + line);
            }
            f.samples().add(new Sample(name, labels, Double.parseDouble(s.group(4).replace("Inf", "Infinity"))));
        }
        return families;
    }

    private static Family familyOf(Map<String, Family> families, String sample) {
        for (String suffix : SUFFIXES) {
            if (sample.endsWith(suffix)) {
                Family f = families.get(sample.substring(0, sample.length() - suffix.length()));
                if (f != null) {
                    return f;
                }
            }
        }
        // Other suffixes (e.g. a long-task timer's _active_count): the longest family name that prefixes it.
        return families.values().stream().filter(f -> sample.startsWith(f.name() + "_"))
                .max(java.util.Comparator.comparingInt(f -> f.name().length())).orElse(null);
    }
}
