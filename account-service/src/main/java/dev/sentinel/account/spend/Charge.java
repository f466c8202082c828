package dev.sentinel.account.spend;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;

/** Body of {@code POST .../spend}. The upper bound of amountCents is configured (account.max-charge-cents). */
public record Charge(
        @NotNull @Positive Long amountCents,
        @NotBlank @Size(max = 255) @Pattern(regexp = "\\p{Graph}+", message = "must be printable without spaces")
        String idempotencyKey,
        @Size(max = 500) String description) {
}
