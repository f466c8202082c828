package dev.sentinel.account.spend;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST .../spend/reservations}. ttlSeconds is optional (account.reservations.default-ttl)
 * and bounded by account.reservations.max-ttl.
 */
public record Reserve(
        @NotNull @Positive Long amountCents,
        @NotBlank @Size(max = 255) @Pattern(regexp = "\\p{Graph}+", message = "must be printable without spaces")
        String idempotencyKey,
        @Positive Long ttlSeconds) {
}
