package dev.sentinel.account.limits;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.PositiveOrZero;

/**
 * Body of {@code POST .../limits}. A field left out keeps its value; the cap may not pass
 * the plan's maximum (422). A cap of 0 stops all spend.
 */
public record LimitsChange(@PositiveOrZero Long monthlyCapCents, @Min(1) @Max(100) Integer warnThresholdPercent) {
}
