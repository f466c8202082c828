package dev.sentinel.account.spend;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;

import java.util.List;
import java.util.Map;

/**
 * What a charge or reservation request was answered: accepted with a status and body, or
 * refused by the cap. Both are committed (the idempotency record, any notice), so a
 * refusal is a value here and only becomes a 402 problem at the HTTP edge.
 *
 * @param refusal the 402 problem's extension members, or null when accepted
 */
public record SpendDecision(int status, JsonNode body, Map<String, Object> refusal) {

    public static SpendDecision accepted(int status, JsonNode body) {
        return new SpendDecision(status, body, null);
    }

    public static SpendDecision refused(Map<String, Object> refusal) {
        return new SpendDecision(ErrorCode.BIZ_SPEND_CAP_REACHED.status(), null, refusal);
    }

    public boolean isRefused() {
        return refusal != null;
    }

    public ProblemException toProblem() {
        return new ProblemException(ErrorCode.BIZ_SPEND_CAP_REACHED,
                "This would take the account past its monthly spend cap.", List.of(), refusal, null);
    }
}
