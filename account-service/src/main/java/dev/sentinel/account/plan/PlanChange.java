package dev.sentinel.account.plan;

import jakarta.validation.constraints.NotNull;

/** Body of {@code POST .../plan}. */
public record PlanChange(@NotNull Plan plan) {
}
