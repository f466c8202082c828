package dev.sentinel.account.spend;

import dev.sentinel.account.accounts.Account;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;

/**
 * Brings a locked account up to date before anything reads or decides on it: holds past
 * their expiry give their cents back, and a new calendar month starts a new period.
 */
@ApplicationScoped
public class Holds {

    private final ReservationRepository reservations;

    public Holds(ReservationRepository reservations) {
        this.reservations = reservations;
    }

    /**
     * Call with {@code account} locked in the current transaction. An account that holds
     * nothing has no hold to expire (reserved is the sum of its HELD reservations), so the
     * hot path of plain charges skips that query.
     */
    /**
     * What {@link #settle} would leave at {@code now}, for a read: nothing is written and no
     * lock is needed (the sweeper and the next write expire the due holds for real).
     */
    public Uni<Account.Totals> current(Account account, Instant now) {
        Uni<Long> dueCents = account.reservedCents == 0
                ? Uni.createFrom().item(0L)
                : reservations.dueCents(account.userId, now);
        return dueCents.map(due -> account.totalsAt(now, due));
    }

    public Uni<Account> settle(Account account, Instant now) {
        Uni<Long> freedCents = account.reservedCents == 0
                ? Uni.createFrom().item(0L)
                : reservations.expireDue(account.userId, now);
        return freedCents.map(freed -> {
            account.reservedCents = Math.max(0, account.reservedCents - freed);
            account.rollOver(now);
            return account;
        });
    }
}
