package dev.sentinel.audit.approval;

import dev.sentinel.contracts.problem.ProblemException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The approval list's query rules and the gate's configuration, without Quarkus. */
class ApprovalRulesTest {

    @Test
    void aCursorServesOnlyItsOwnStatusFilter() {
        String cursor = ApprovalCursor.after("PENDING", 42);
        assertEquals(42, ApprovalCursor.before("PENDING", cursor));
        assertEquals(Long.MAX_VALUE, ApprovalCursor.before("PENDING", null));
        assertThrows(ProblemException.class, () -> ApprovalCursor.before("GRANTED", cursor));
        assertThrows(ProblemException.class, () -> ApprovalCursor.before(null, cursor));
        String unfiltered = ApprovalCursor.after(null, 7);
        assertEquals(7, ApprovalCursor.before(null, unfiltered));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "garbage!", "YXAxOlBFTkRJTkc6MA", "YXAxOlBFTkRJTkc6LTE", "eA"})
    void aForgedCursorIsA400(String cursor) {
        // "ap1:PENDING:0" and "ap1:PENDING:-1" are no position a page ends at.
        ProblemException problem = assertThrows(ProblemException.class, () -> ApprovalCursor.before("PENDING", cursor));
        assertEquals(400, problem.code().status());
    }

    @Test
    void aVeryLongCursorIsRefusedBeforeDecoding() {
        String longOne = Base64.getUrlEncoder().encodeToString(("ap1:PENDING:" + "9".repeat(60)).getBytes(StandardCharsets.US_ASCII));
        assertThrows(ProblemException.class, () -> ApprovalCursor.before("PENDING", longOne));
    }

    @Test
    void statusAndLimitAreCheckedAtTheEdge() {
        assertNull(ApprovalCursor.status(null));
        for (String status : ApprovalCursor.STATUSES) {
            assertEquals(status, ApprovalCursor.status(status));
        }
        assertThrows(ProblemException.class, () -> ApprovalCursor.status("pending"));
        assertEquals(ApprovalCursor.DEFAULT_LIMIT, ApprovalCursor.limit(null));
        assertEquals(200, ApprovalCursor.limit("200"));
        for (String bad : new String[] {"0", "201", "-1", "1e2", " 5", "99999"}) {
            assertThrows(ProblemException.class, () -> ApprovalCursor.limit(bad), bad);
        }
    }

    @Test
    void theGateIsConfiguredByActionName() {
        assertEquals(EnumSet.allOf(ApprovalAction.class),
                Approvals.required(Set.of("grant-admin", " reset-2fa-admin", "erase-subject")));
        assertTrue(Approvals.required(Set.of("none")).isEmpty());
        assertEquals(EnumSet.of(ApprovalAction.ERASE_SUBJECT), Approvals.required(Set.of("erase-subject")));
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> Approvals.required(Set.of("grant-admin", "delete-everything")));
        assertTrue(unknown.getMessage().contains("delete-everything"), unknown.getMessage());
    }
}
