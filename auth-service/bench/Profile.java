import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Summarises the CPU samples (jdk.ExecutionSample) of a JFR recording, JDK only:
 * {@code java Profile.java FILE.jfr [TOP]}. Prints, as percentages of all samples, where the
 * service spent its CPU by area (the first area whose marker appears anywhere in a sample's
 * stack, in the order below), by thread pool, and the top self (leaf) methods.
 */
public class Profile {

    /** Area name → markers looked for in frame class names (in this order; first match wins). */
    static final Map<String, List<String>> AREAS = new LinkedHashMap<>();

    static {
        AREAS.put("ES256 verify (token check)", List.of("io.smallrye.jwt.auth.principal", "org.jose4j.jws.EcdsaUsingShaAlgorithm.verify"));
        AREAS.put("ES256 sign (token issue)", List.of("io.smallrye.jwt.build", "org.jose4j.jws.JsonWebSignature.sign"));
        AREAS.put("zxcvbn policy", List.of("com.nulabinc.zxcvbn"));
        AREAS.put("argon2 (JNA)", List.of("de.mkammerer.argon2", "com.sun.jna"));
        AREAS.put("Hibernate Reactive", List.of("org.hibernate"));
        AREAS.put("PostgreSQL client", List.of("io.vertx.pgclient", "io.vertx.sqlclient"));
        AREAS.put("Redis client", List.of("io.vertx.redis", "io.quarkus.redis"));
        AREAS.put("Jackson JSON", List.of("com.fasterxml.jackson"));
        AREAS.put("Micrometer / OTel", List.of("io.micrometer", "io.opentelemetry"));
        AREAS.put("REST layer", List.of("org.jboss.resteasy.reactive", "io.quarkus.resteasy.reactive"));
        AREAS.put("Netty / Vert.x I/O", List.of("io.netty", "io.vertx.core"));
        AREAS.put("Flyway", List.of("org.flywaydb"));
        AREAS.put("Kafka client", List.of("org.apache.kafka"));
        AREAS.put("class loading", List.of("io.quarkus.bootstrap.runner", "java.lang.ClassLoader", "jdk.internal.loader"));
    }

    public static void main(String[] args) throws Exception {
        int top = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        Map<String, Integer> areas = new LinkedHashMap<>();
        Map<String, Integer> pools = new HashMap<>();
        Map<String, Integer> leaves = new HashMap<>();
        int total = 0;
        for (RecordedEvent event : RecordingFile.readAllEvents(Path.of(args[0]))) {
            if (!event.getEventType().getName().equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace stack = event.getStackTrace();
            if (stack == null || stack.getFrames().isEmpty()) {
                continue;
            }
            total++;
            String thread = event.getThread("sampledThread") == null ? "?" : event.getThread("sampledThread").getJavaName();
            pools.merge(thread == null ? "?" : thread.replaceAll("[-#]?\\d+$", "").replaceAll("\\d+", "N"), 1, Integer::sum);
            RecordedFrame leaf = stack.getFrames().get(0);
            leaves.merge(leaf.getMethod().getType().getName() + "." + leaf.getMethod().getName(), 1, Integer::sum);
            areas.merge(area(stack), 1, Integer::sum);
        }
        System.out.println("samples: " + total);
        print("by area (first marker on the stack)", areas, total, 20);
        print("by thread", pools, total, 6);
        print("top self methods", leaves, total, top);
    }

    static String area(RecordedStackTrace stack) {
        for (Map.Entry<String, List<String>> area : AREAS.entrySet()) {
            for (RecordedFrame frame : stack.getFrames()) {
                String name = frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
                for (String marker : area.getValue()) {
                    if (name.startsWith(marker)) {
                        return area.getKey();
                    }
                }
            }
        }
        return "other (JDK, Quarkus, app code)";
    }

    static void print(String title, Map<String, Integer> counts, int total, int limit) {
        System.out.println(title + ":");
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .forEach(e -> System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey()));
    }
}
