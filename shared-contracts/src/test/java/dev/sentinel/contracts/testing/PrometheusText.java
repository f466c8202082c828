package dev.sentinel.contracts.testing;

/**
 * Reads samples from the Prometheus text a service serves at {@code /q/metrics}. A sample
 * line is {@code name[{labels}] value [# {exemplar labels} value timestamp]}: an exemplar
 * follows the value whenever the sample was counted inside a trace, so the value is the
 * first number after the labels, never the last on the line.
 */
public final class PrometheusText {

    private PrometheusText() {
    }

    /**
     * The sum of the samples of {@code name} whose labels contain {@code labels} (e.g.
     * {@code result="hit"}; empty for every series), 0 when there are none yet.
     */
    public static double sum(String text, String name, String labels) {
        double sum = 0;
        for (String line : text.split("\n")) {
            boolean plain = line.startsWith(name + " ");
            boolean labelled = line.startsWith(name + "{");
            if (!plain && !labelled) {
                continue;
            }
            int end = labelled ? line.indexOf('}') + 1 : name.length();
            if (labelled && !line.substring(name.length(), end).contains(labels)) {
                continue;
            }
            sum += Double.parseDouble(line.substring(end).trim().split("\\s+")[0]);
        }
        return sum;
    }

    /** How many series of {@code name} have labels containing {@code labels} (empty: every series). */
    public static int series(String text, String name, String labels) {
        int count = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith(name + " ") && labels.isEmpty()) {
                count++;
            } else if (line.startsWith(name + "{") && line.substring(name.length(), line.indexOf('}') + 1).contains(labels)) {
                count++;
            }
        }
        return count;
    }
}
