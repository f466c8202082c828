package dev.sentinel.systemtests;

import dev.sentinel.systemtests.support.Scrape;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Service;
import dev.sentinel.systemtests.support.SystemTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every metric the Prometheus rules of {@code deploy/prometheus/rules} and the Grafana dashboards
 * of {@code deploy/grafana/dashboards} read is one the four
 * running services really export at {@code /q/metrics}, and every exact label value a rule
 * selects on (e.g. {@code uri="/v1/auth/login"}) appears on such a series: a rule can never wait
 * on a name or a route nobody exports. Names with a colon are recording rules; they must be
 * recorded by some rule. The suite first makes the traffic the rules are about (login, refresh,
 * token-checked calls), since a route's series appears with its first request.
 */
@SystemTest
class MetricsContractIT {

    private static final Path RULES = Path.of(System.getProperty("sentinel.e2e.root", "..")).resolve("deploy/prometheus/rules");
    private static final Path DASHBOARDS = Path.of(System.getProperty("sentinel.e2e.root", "..")).resolve("deploy/grafana/dashboards");
    /** A dashboard target's {@code "expr": "..."}: a JSON string, escapes kept. */
    private static final Pattern DASHBOARD_EXPR = Pattern.compile("\"expr\":\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** PromQL words that look like metric names but are not. */
    private static final Set<String> KEYWORDS = Set.of("and", "or", "unless", "by", "without", "on", "ignoring",
            "group_left", "group_right", "offset", "bool", "inf", "nan", "atan2", "start", "end");
    private static final Pattern SELECTOR = Pattern.compile("([A-Za-z_:][A-Za-z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern EXACT_MATCHER = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_:][A-Za-z0-9_:]*");

    @BeforeAll
    static void makeTheTrafficTheRulesAreAbout(Sentinel sentinel) {
        Sentinel.SignedIn admin = sentinel.signInAsAdmin();
        sentinel.auth().body(Map.of("refreshToken", admin.refreshToken())).post("/v1/auth/refresh").then().statusCode(200);
        sentinel.auth().header("Authorization", admin.bearer()).get("/v1/auth/me").then().statusCode(200);
        sentinel.account().header("Authorization", admin.bearer()).get("/v1/account/limits").then().statusCode(200);
        sentinel.account().header("Authorization", admin.bearer())
                .body(Map.of("amountCents", 1, "idempotencyKey", "metrics-contract-" + java.util.UUID.randomUUID()))
                .post("/v1/account/spend").then().statusCode(200);
    }

    @Test
    void everyMetricARuleReadsIsExported(Sentinel sentinel) {
        Map<String, List<Map<String, String>>> exported = exported(sentinel);
        List<String> expressions = expressions();
        Set<String> recorded = recordedNames();
        assertFalse(expressions.isEmpty(), "no rule expressions found in " + RULES);

        Set<String> missing = new TreeSet<>();
        Set<String> checked = new TreeSet<>();
        for (String expression : expressions) {
            for (String name : metricNames(expression)) {
                if (name.contains(":")) {
                    if (!recorded.contains(name)) {
                        missing.add(name + " (a recording rule nobody records)");
                    }
                } else if (!exported.containsKey(name)) {
                    missing.add(name);
                } else {
                    checked.add(name);
                }
            }
        }
        assertTrue(missing.isEmpty(), "the rules read metrics no service exports: " + missing
                + "\nexported: " + new TreeSet<>(exported.keySet()));
        assertFalse(checked.isEmpty());
        System.out.println("MetricsContractIT: the rules read " + checked);
    }

    @Test
    void everyExactLabelValueARuleSelectsExists(Sentinel sentinel) {
        Map<String, List<Map<String, String>>> exported = exported(sentinel);
        Set<String> missing = new TreeSet<>();
        for (String expression : expressions()) {
            Matcher selector = SELECTOR.matcher(expression);
            while (selector.find()) {
                String name = selector.group(1);
                if (name.contains(":") || !exported.containsKey(name)) {
                    continue;   // recording rules; unknown names fail the test above
                }
                Map<String, String> wanted = new LinkedHashMap<>();
                Matcher matcher = EXACT_MATCHER.matcher(selector.group(2));
                while (matcher.find()) {
                    int at = matcher.start();
                    char before = at > 0 ? selector.group(2).charAt(at - 1) : ' ';
                    if (before != '!' && before != '=' && before != '~') {
                        wanted.put(matcher.group(1), matcher.group(2));
                    }
                }
                boolean some = exported.get(name).stream()
                        .anyMatch(labels -> wanted.entrySet().stream()
                                .allMatch(e -> e.getValue().equals(labels.get(e.getKey()))));
                if (!some) {
                    missing.add(name + wanted);
                }
            }
        }
        assertTrue(missing.isEmpty(), "the rules select series no service exports: " + missing);
    }

    /** The metric names in one PromQL expression: identifiers that are not functions, keywords, labels or durations. */
    static Set<String> metricNames(String expression) {
        String text = expression
                .replaceAll("\"(?:[^\"\\\\]|\\\\.)*\"", "\"\"")            // string literals
                .replaceAll("\\{[^}]*}", "{}")                               // label matchers
                .replaceAll("\\[[^]]*]", "[]")                               // ranges and subqueries
                .replaceAll("(?i)\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")   // label lists
                .replaceAll("(?i)\\boffset\\s+-?[0-9a-z]+", " ");            // offset durations
        Set<String> names = new LinkedHashSet<>();
        Matcher identifier = IDENTIFIER.matcher(text);
        while (identifier.find()) {
            String word = identifier.group();
            int next = identifier.end();
            while (next < text.length() && text.charAt(next) == ' ') {
                next++;
            }
            boolean function = next < text.length() && text.charAt(next) == '(';
            boolean number = identifier.start() > 0 && Character.isDigit(text.charAt(identifier.start() - 1));
            if (!function && !number && !KEYWORDS.contains(word.toLowerCase())) {
                names.add(word);
            }
        }
        return names;
    }

    @Test
    void theNameReaderFindsMetricsAndOnlyMetrics() {
        assertEquals(Set.of("a_total", "b:ratio_rate5m", "c_seconds"), metricNames(
                "sum by (job, uri) (rate(a_total{uri=\"/x\", status=~\"5..\"}[5m])) / on (job) group_left (x) "
                        + "b:ratio_rate5m > 14.4 * 0.001 and max without (instance) (c_seconds offset 1d) > 1e3 "
                        + "unless absent(a_total)"));
    }

    @Test
    void theScrapeReaderKeepsBracesInLabelValuesAndSkipsExemplars() {
        List<Scrape.Sample> samples = Scrape.parse("# TYPE x counter\n"
                + "http_server_requests_seconds_count{method=\"GET\",uri=\"/v1/admin/accounts/{userId}/limits\"} 3.0 "
                + "# {span_id=\"1\",trace_id=\"2\"} 1.0 1796024678.615\n"
                + "up 1\nlag{client_id=\"a\\\"b\"} NaN\nbucket{le=\"+Inf\"} +Inf\n");
        assertEquals(4, samples.size());
        assertEquals(Map.of("method", "GET", "uri", "/v1/admin/accounts/{userId}/limits"), samples.get(0).labels());
        assertEquals(3.0, samples.get(0).value());
        assertEquals("up", samples.get(1).name());
        assertEquals("a\"b", samples.get(2).labels().get("client_id"));
        assertTrue(Double.isInfinite(samples.get(3).value()));
    }

    /** Sample name → the label sets of its series, over the four services. */
    private static Map<String, List<Map<String, String>>> exported(Sentinel sentinel) {
        Map<String, List<Map<String, String>>> series = new LinkedHashMap<>();
        for (Service service : Service.values()) {
            String text = sentinel.metrics(service);
            keep(service, text);
            for (Scrape.Sample sample : Scrape.parse(text)) {
                Map<String, String> labels = new LinkedHashMap<>(sample.labels());
                labels.put("job", service.module());   // what the scrape config adds
                series.computeIfAbsent(sample.name(), n -> new ArrayList<>()).add(labels);
            }
        }
        return series;
    }

    /** The scrape as read, in {@code target/e2e-logs/metrics/<module>.prom}: what the rules were checked against. */
    private static void keep(Service service, String text) {
        Path dir = Path.of(System.getProperty("sentinel.e2e.logs", "target/e2e-logs")).resolve("metrics");
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(service.module() + ".prom"), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Every {@code "expr"} of every Grafana dashboard, its JSON string unescaped and the dashboard
     * variables made concrete ({@code $job} matches any service, {@code $__rate_interval} is 5m).
     */
    static List<String> dashboardExpressions() {
        List<String> expressions = new ArrayList<>();
        try (Stream<Path> files = Files.list(DASHBOARDS)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                Matcher expr = DASHBOARD_EXPR.matcher(Files.readString(file));
                while (expr.find()) {
                    expressions.add(concrete(expr.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertFalse(expressions.isEmpty(), "no expressions in the dashboards of " + DASHBOARDS);
        return expressions;
    }

    @Test
    void theDashboardReaderUnescapesAndFillsTheVariables() {
        Matcher expr = DASHBOARD_EXPR.matcher("\"expr\": \"sum(rate(a_total{uri=\\\"/x\\\", job=~\\\"$job\\\"}[$__rate_interval]))\",");
        assertTrue(expr.find());
        assertEquals("sum(rate(a_total{uri=\"/x\", job=~\".*\"}[5m]))", concrete(expr.group(1)));
    }

    /** A dashboard's expression as PromQL: the JSON string unescaped, its variables filled in. */
    private static String concrete(String jsonString) {
        return jsonString.replace("\\\"", "\"").replace("\\\\", "\\")
                .replace("$__rate_interval", "5m").replaceAll("=~\"\\$job\"", "=~\".*\"");
    }

    /**
     * Every {@code expr:} of every rule file, a block scalar ({@code expr: |}) joined into one line,
     * and every expression of every dashboard.
     */
    private static List<String> expressions() {
        List<String> expressions = new ArrayList<>(dashboardExpressions());
        for (Path file : ruleFiles()) {
            List<String> lines = read(file);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String trimmed = line.trim();
                if (!trimmed.startsWith("expr:")) {
                    continue;
                }
                String value = trimmed.substring("expr:".length()).trim();
                if (!value.equals("|") && !value.equals(">") && !value.startsWith("|-") && !value.startsWith(">-")) {
                    expressions.add(unquote(value));
                    continue;
                }
                int indent = line.indexOf("expr:");
                StringBuilder block = new StringBuilder();
                while (i + 1 < lines.size() && (lines.get(i + 1).isBlank()
                        || lines.get(i + 1).length() - lines.get(i + 1).stripLeading().length() > indent)) {
                    block.append(lines.get(++i).trim()).append(' ');
                }
                expressions.add(block.toString().trim());
            }
        }
        return expressions;
    }

    private static Set<String> recordedNames() {
        Set<String> names = new TreeSet<>();
        for (Path file : ruleFiles()) {
            for (String line : read(file)) {
                String trimmed = line.trim();
                if (trimmed.startsWith("- record:")) {
                    names.add(unquote(trimmed.substring("- record:".length()).trim()));
                }
            }
        }
        return names;
    }

    private static List<Path> ruleFiles() {
        try (Stream<Path> files = Files.list(RULES)) {
            List<Path> yaml = files.filter(f -> f.toString().endsWith(".yml") || f.toString().endsWith(".yaml"))
                    .sorted().toList();
            assertFalse(yaml.isEmpty(), "no rule files in " + RULES.toAbsolutePath());
            return yaml;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> read(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String unquote(String value) {
        if (value.length() >= 2 && (value.startsWith("'") && value.endsWith("'") || value.startsWith("\"") && value.endsWith("\""))) {
            return value.substring(1, value.length() - 1);
        }
        return value;
    }
}
