package dev.sentinel.account.spend;

import dev.sentinel.contracts.web.StorableText;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/**
 * Body of {@code POST .../spend}. The upper bound of amountCents is configured (account.max-charge-cents);
 * the description is stored as given, so it must be text PostgreSQL can hold.
 */
public record Charge(
        @NotNull @Positive Long amountCents,
        @NotBlank @Size(max = 255) @Pattern(regexp = "\\p{Graph}+", message = "must be printable without spaces")
        String idempotencyKey,
        @Size(max = 500) @StorableText String description) {
}
