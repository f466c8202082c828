package dev.sentinel.systemtests.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The samples of a Prometheus text scrape, each with its labels. Unlike a search for the first
 * {@code '}'}, it reads quoted label values whole, so a route template such as
 * {@code uri="/v1/admin/accounts/{userId}/limits"} stays one value; an exemplar after the value
 * ({@code # {trace_id=...} 1.0 ...}) is ignored.
 */
public final class Scrape {

    /** One line of the scrape: {@code name{labels} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private Scrape() {
    }

    public static List<Sample> parse(String text) {
        List<Sample> samples = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                samples.add(sample(line));
            }
        }
        return samples;
    }

    /** The sum of the samples named {@code name} whose labels pass {@code labels}; 0 when there are none. */
    public static double sum(String text, String name, Predicate<Map<String, String>> labels) {
        return parse(text).stream().filter(s -> s.name().equals(name) && labels.test(s.labels()))
                .mapToDouble(Sample::value).sum();
    }

    private static double number(String value) {
        return switch (value) {
            case "+Inf" -> Double.POSITIVE_INFINITY;
            case "-Inf" -> Double.NEGATIVE_INFINITY;
            default -> Double.parseDouble(value);
        };
    }

    private static Sample sample(String line) {
        int i = 0;
        while (i < line.length() && line.charAt(i) != '{' && line.charAt(i) != ' ') {
            i++;
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int equals = line.indexOf('=', i);
                String label = line.substring(i, equals).trim();
                StringBuilder value = new StringBuilder();
                int j = equals + 2;   // past ="
                while (line.charAt(j) != '"') {
                    if (line.charAt(j) == '\\') {
                        j++;
                        value.append(line.charAt(j) == 'n' ? '\n' : line.charAt(j));
                    } else {
                        value.append(line.charAt(j));
                    }
                    j++;
                }
                labels.put(label, value.toString());
                i = j + 1;
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        String value = line.substring(i).trim().split("\\s+")[0];
        return new Sample(name, Collections.unmodifiableMap(labels), number(value));
    }
}
