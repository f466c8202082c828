package dev.sentinel.contracts.security;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.spi.ConfigSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds secrets set to a value the repository ships as an example: the {@code %test.} and
 * {@code %dev.} values of a secret setting in a service's {@code application.properties}
 * (test keys, the test admin password, the test client's hash). Anybody can read those, so a
 * production service that runs with one has no secret at all. {@link ExampleSecretsGuard}
 * refuses to start on a finding; plain Java, so it is tested without Quarkus.
 *
 * <p>A setting is a secret when the environment variable it reads ({@code ${VAR}} or
 * {@code ${VAR:default}} in {@code application.properties}) has a part PASSWORD, SECRET, KEY,
 * KEYS, KEK, JWK or CLIENTS ({@code ADMIN_PASSWORD}, {@code ENCRYPTION_KEYS}); a setting that
 * reads no variable, when the last part of its name is one ({@code auth.refresh.derivation-key},
 * not {@code ...key.deserializer}). Its value is refused when it equals an example
 * value or contains a piece of one: a base64, hex or word run of at least
 * {@value #MIN_PIECE} characters (so {@code ENCRYPTION_KEYS} with a test key among others, or
 * {@code SERVICE_CLIENTS} with the test client's hash, are found). Shorter examples (a key id
 * such as {@code v2}) are never secrets and never count. A finding names the variable and the
 * setting, never the value.
 */
public final class ExampleSecrets {

    /** The shortest run of an example value that counts as key material. */
    static final int MIN_PIECE = 16;

    private static final Set<String> PROFILES = Set.of("%test.", "%dev.");
    private static final Set<String> SECRET_WORDS = Set.of("PASSWORD", "SECRET", "KEY", "KEYS", "KEK", "JWK", "CLIENTS");
    private static final Pattern VARIABLE = Pattern.compile("^\\$\\{([A-Za-z0-9_.-]+)(?::[^}]*)?}$");
    private static final Pattern PIECE = Pattern.compile("[A-Za-z0-9+/=_.-]{" + MIN_PIECE + ",}");

    /** A secret setting found at an example value: the variable operators set, and the property. */
    public record Finding(String variable, String property) {
    }

    private ExampleSecrets() {
    }

    /** Every secret setting of {@code config} whose value is (or contains) a shipped example value. */
    public static List<Finding> find(Config config) {
        Map<String, Set<String>> examples = new LinkedHashMap<>();
        Map<String, String> variables = new LinkedHashMap<>();
        for (ConfigSource source : config.getConfigSources()) {
            for (String name : source.getPropertyNames()) {
                String profile = PROFILES.stream().filter(name::startsWith).findFirst().orElse(null);
                if (profile == null) {
                    continue;
                }
                String property = name.substring(profile.length());
                String example = source.getValue(name);
                if (example == null || example.contains("${")) {
                    continue;
                }
                examples.computeIfAbsent(property, p -> new LinkedHashSet<>()).add(example.trim());
                String raw = source.getValue(property);
                Matcher variable = raw == null ? null : VARIABLE.matcher(raw.trim());
                if (variable != null && variable.matches()) {
                    variables.putIfAbsent(property, variable.group(1));
                }
            }
        }
        List<Finding> findings = new ArrayList<>();
        examples.forEach((property, values) -> {
            String variable = variables.get(property);
            String words = variable != null ? variable : property.substring(property.lastIndexOf('.') + 1);
            if (Arrays.stream(words.toUpperCase(Locale.ROOT).split("[_-]")).noneMatch(SECRET_WORDS::contains)) {
                return;
            }
            String named = variable != null ? variable : property;
            String actual = value(config, property);
            if (actual != null && values.stream().anyMatch(example -> isExample(actual.trim(), example))) {
                findings.add(new Finding(named, property));
            }
        });
        return findings;
    }

    /**
     * The message a service stops with, naming each setting (never its value); null when none.
     */
    public static String refusal(List<Finding> findings) {
        if (findings.isEmpty()) {
            return null;
        }
        StringBuilder message = new StringBuilder("Refusing to start: ");
        for (int i = 0; i < findings.size(); i++) {
            Finding finding = findings.get(i);
            message.append(i == 0 ? "" : ", ").append(finding.variable()).append(" (").append(finding.property()).append(')');
        }
        message.append(findings.size() == 1 ? " is set to" : " are set to")
                .append(" an example value shipped in the repository (a %test or %dev value of application.properties),"
                        + " which anyone can read. Give each a secret of your own (deploy/local/sentinel generates"
                        + " them; in Kubernetes, the service's Secret).");
        return message.toString();
    }

    /** Equal to the example, or containing one of its key-material pieces; short examples never count. */
    static boolean isExample(String actual, String example) {
        if (example.length() < MIN_PIECE) {
            return false;
        }
        if (actual.equals(example)) {
            return true;
        }
        Matcher piece = PIECE.matcher(example);
        while (piece.find()) {
            if (actual.contains(piece.group())) {
                return true;
            }
        }
        return false;
    }

    private static String value(Config config, String property) {
        try {
            return config.getOptionalValue(property, String.class).orElse(null);
        } catch (NoSuchElementException | IllegalArgumentException unresolvable) {
            // A ${VAR} with no value: the service's own configuration check reports it, by name.
            return null;
        }
    }
}
