package dev.sentinel.account.plan;

import dev.sentinel.account.web.AccountId;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.time.Instant;
import java.util.List;

/**
 * Many accounts' plans in one read (the admin console's plan column and filter): at most
 * {@value #MAX_IDS} user ids; the answer lists those that have an account, and the plan an
 * account is made with ({@code defaultPlan}), which is the plan a user without one gets on
 * first use.
 */
public record PlanLookup(
        @Schema(description = "User ids (JWT sub), 1 to 200; repeats are answered once", maxItems = MAX_IDS, minItems = 1)
        @NotNull @Size(min = 1, max = MAX_IDS) List<@NotNull @AccountId String> userIds) {

    public static final int MAX_IDS = 200;

    /** One account's plan. */
    public record AccountPlan(String userId, Plan plan, Instant since) {
    }

    /** {@code items}: the ids asked for that have an account, in the order asked; the others have none yet. */
    public record Answer(Plan defaultPlan, List<AccountPlan> items) {
    }
}
