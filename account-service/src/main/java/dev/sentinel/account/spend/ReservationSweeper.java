package dev.sentinel.account.spend;

import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

/**
 * Frees the holds of reservations nobody committed or released before they expired. Reads
 * free them lazily too; the sweeper makes sure an idle account's remaining is right as well.
 * Each account is settled in its own transaction under its row lock, like a charge.
 */
@ApplicationScoped
public class ReservationSweeper {

    private static final Logger LOG = Logger.getLogger(ReservationSweeper.class);

    private final SpendService spend;

    public ReservationSweeper(SpendService spend) {
        this.spend = spend;
    }

    @Scheduled(every = "${account.reservations.sweep-interval:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> sweep() {
        return spend.accountsWithDueHolds()
                .chain(accounts -> Multi.createFrom().iterable(accounts)
                        .onItem().transformToUniAndConcatenate(spend::expireHolds)
                        .collect().last())
                .onFailure().invoke(e -> LOG.warnf("Reservation sweep failed: %s", e.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }
}
