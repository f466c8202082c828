import de.mkammerer.argon2.Argon2;
import de.mkammerer.argon2.Argon2Factory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Raw Argon2id hashes/s with argon2-jvm (the library and bundled libargon2 auth-service
 * uses), outside the service: the ceiling its password login can reach on these cores.
 * Run as a single-file program with argon2-jvm and JNA on the class path:
 * {@code java -cp "argon2-jvm.jar:argon2-jvm-nolibs.jar:jna.jar" Argon2Bench.java T M_KIB P THREADS SECONDS}.
 * Prints one line: {@code RAW hashes_per_s=… ms_per_hash=… hashes=… threads=…}.
 */
public class Argon2Bench {

    public static void main(String[] args) throws Exception {
        int t = Integer.parseInt(args[0]);
        int m = Integer.parseInt(args[1]);
        int p = Integer.parseInt(args[2]);
        int threads = Integer.parseInt(args[3]);
        long seconds = Long.parseLong(args[4]);
        // The same factory call as PasswordHasher: Argon2id, 16-byte salt, 32-byte hash.
        Argon2 argon2 = Argon2Factory.create(Argon2Factory.Argon2Types.ARGON2id, 16, 32);
        String password = "Bench-horse-staple-9271-xq";
        // One warm-up hash per thread (loads the native library, touches the memory once).
        argon2.hash(t, m, p, password.toCharArray());

        AtomicLong done = new AtomicLong();
        AtomicLong busyNanos = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        Thread[] workers = new Thread[threads];
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> {
                while (System.nanoTime() < end) {
                    long s = System.nanoTime();
                    argon2.hash(t, m, p, password.toCharArray());
                    busyNanos.addAndGet(System.nanoTime() - s);
                    done.incrementAndGet();
                }
            }, "argon2-bench-" + i);
            workers[i].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        System.out.printf("RAW hashes_per_s=%.2f ms_per_hash=%.1f hashes=%d threads=%d elapsed_s=%.1f%n",
                done.get() / elapsed, busyNanos.get() / 1e6 / Math.max(1, done.get()), done.get(), threads, elapsed);
    }
}
