package dev.sentinel.account.spend;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;

/** Body of {@code POST .../reservations/{id}/commit}: the final cost, at most what was held. */
public record Commit(@NotNull @Positive Long amountCents) {
}
