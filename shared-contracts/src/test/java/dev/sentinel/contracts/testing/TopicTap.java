package dev.sentinel.contracts.testing;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Listens to a topic of the real local broker from the moment it starts, in a thread of its
 * own, and keeps every record by key, so tests can wait for what a service published (a mail
 * request, an event) as a downstream consumer would see it. One tap per topic per test JVM;
 * records published before it started are not seen.
 */
public final class TopicTap {

    private static final Map<String, TopicTap> TAPS = new ConcurrentHashMap<>();

    private final Map<String, List<ConsumerRecord<String, String>>> byKey = new ConcurrentHashMap<>();

    private TopicTap(String topic) {
        KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalInfra.KAFKA,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false));
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(p -> new TopicPartition(topic, p.partition())).collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position); // fix the start now, not at the first poll
        Thread reader = new Thread(() -> {
            try (consumer) {
                while (!Thread.currentThread().isInterrupted()) {
                    for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                        List<ConsumerRecord<String, String>> list = byKey.computeIfAbsent(
                                String.valueOf(record.key()), k -> new ArrayList<>());
                        synchronized (list) {
                            list.add(record);
                        }
                    }
                }
            } catch (WakeupException | InterruptException stopped) {
                // the JVM is ending
            }
        }, "topic-tap-" + topic);
        reader.setDaemon(true);
        reader.start();
    }

    /** The tap of {@code topic}, started at the first call. */
    public static TopicTap of(String topic) {
        return TAPS.computeIfAbsent(topic, TopicTap::new);
    }

    /**
     * The values of the records under {@code key} that match, oldest first, once there are at
     * least {@code atLeast} of them; fails after {@code timeout}.
     */
    public List<String> await(String key, Predicate<String> matching, long atLeast, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<String> values = values(key, matching);
            if (values.size() >= atLeast) {
                return values;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + atLeast + " matching records under " + key + ", saw "
                        + values.size() + " in " + timeout);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private List<String> values(String key, Predicate<String> matching) {
        List<ConsumerRecord<String, String>> list = byKey.getOrDefault(key, List.of());
        synchronized (list) {
            return list.stream().map(ConsumerRecord::value).filter(matching).toList();
        }
    }
}
