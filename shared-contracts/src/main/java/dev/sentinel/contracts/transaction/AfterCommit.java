package dev.sentinel.contracts.transaction;

import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Side effects (metric increments above all) that must happen only once the transaction that
 * decided them has committed: a transaction that rolls back or is retried never counts.
 * A use case opens its transaction with {@link #transaction}, and the code inside registers
 * what to do after the commit with {@link #add} instead of doing it at once.
 */
public final class AfterCommit {

    private final List<Runnable> actions = new ArrayList<>();

    private AfterCommit() {
    }

    /**
     * Runs {@code work} in a new transaction (as {@code @WithTransaction} does) and, once it
     * committed, the actions it registered. Start it outside any transaction: inside one,
     * Panache joins the outer transaction and the actions would run before that commits.
     */
    public static <T> Uni<T> transaction(Function<AfterCommit, Uni<T>> work) {
        return Uni.createFrom().deferred(() -> {
            AfterCommit after = new AfterCommit();
            return Panache.withTransaction(() -> work.apply(after)).invoke(ignored -> after.run());
        });
    }

    /** Does {@code action} after the commit; never, if the transaction fails. */
    public void add(Runnable action) {
        actions.add(action);
    }

    private void run() {
        actions.forEach(Runnable::run);
        actions.clear();
    }
}
