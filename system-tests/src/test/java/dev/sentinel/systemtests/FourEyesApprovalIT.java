package dev.sentinel.systemtests;

import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Sentinel.SignedIn;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static dev.sentinel.systemtests.support.AdminConsole.USERS;
import static dev.sentinel.systemtests.support.AdminConsole.auditRow;
import static dev.sentinel.systemtests.support.AdminConsole.console;
import static dev.sentinel.systemtests.support.AdminConsole.idOf;
import static dev.sentinel.systemtests.support.AdminConsole.me;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four-eyes approval of an ADMIN grant across the real suite: the seeded (single) ADMIN
 * appoints a second one at once (nobody could approve it; the log says "single-admin"), then
 * asks for a third: 202, nothing changes in auth-service until the second ADMIN approves — the
 * first cannot, in any session — and then a fresh sign-in's token carries the role and the
 * audit log holds approval.requested (by the first) and approval.granted (by the second).
 * The ADMINs made here are demoted again at the end: other tests count on a single ADMIN.
 */
@SystemTest
class FourEyesApprovalIT {

    private static final String PROBLEM_JSON = "application/problem+json";
    private static final String APPROVALS = "/v1/admin/approvals";

    @Test
    void aSecondAdminApprovesAnAdminGrantAndAFreshSignInCarriesTheRole(Sentinel sentinel) {
        String marker = "four" + UUID.randomUUID().toString().substring(0, 6);
        Credentials second = Users.registerAndVerify(sentinel, marker);
        Credentials candidate = Users.registerAndVerify(sentinel, marker);
        SignedIn first = sentinel.signInAsAdmin();
        String firstId = me(sentinel, first);
        String secondId = idOf(sentinel, first, second.email());
        String candidateId = idOf(sentinel, first, candidate.email());
        try {
            // One ADMIN: appointing the second runs at once, and the gate's record says why.
            console(sentinel, first).body(Map.of("roles", List.of(Roles.USER, Roles.ADMIN)))
                    .when().post(USERS + "/{id}/roles", secondId).then().statusCode(200)
                    .body("roles", hasItem(Roles.ADMIN));
            Map<String, Object> single = auditRow(secondId, EventType.APPROVAL_GRANTED);
            assertEquals(firstId, single.get("actor"));
            assertTrue(String.valueOf(single.get("data")).contains("\"fourEyes\": \"single-admin\"")
                    || String.valueOf(single.get("data")).contains("\"fourEyes\":\"single-admin\""), String.valueOf(single.get("data")));
            SignedIn approver = sentinel.signIn(second.email(), second.password());

            // Two ADMINs: the grant waits for the other one.
            String id = console(sentinel, first).body(Map.of("roles", List.of(Roles.USER, Roles.ADMIN)))
                    .when().post(USERS + "/{id}/roles", candidateId).then().statusCode(202)
                    .body("status", equalTo("PENDING")).body("requestedBy", equalTo(firstId))
                    .extract().path("id");
            console(sentinel, first).when().get(USERS + "/{id}", candidateId).then().statusCode(200)
                    .body("roles", equalTo(List.of(Roles.USER)));
            assertFalse(groups(sentinel.signIn(candidate.email(), candidate.password())).contains(Roles.ADMIN));
            console(sentinel, approver).queryParam("status", "PENDING").when().get(APPROVALS).then().statusCode(200)
                    .body("items.id", hasItem(id));

            // The requester cannot approve, not from a second session either.
            for (SignedIn session : List.of(first, sentinel.signInAsAdmin())) {
                console(sentinel, session).when().post(APPROVALS + "/{id}/approve", id).then().statusCode(403)
                        .contentType(PROBLEM_JSON).body("code", equalTo(ErrorCode.BIZ_SELF_APPROVAL.name()));
            }
            console(sentinel, approver).when().post(APPROVALS + "/{id}/approve", id).then().statusCode(200)
                    .body("status", equalTo("GRANTED")).body("decidedBy", equalTo(secondId))
                    .body("result.roles", hasItem(Roles.ADMIN));

            // auth-service has the role: a fresh sign-in's token carries it, the console shows it.
            assertTrue(groups(sentinel.signIn(candidate.email(), candidate.password())).contains(Roles.ADMIN));
            console(sentinel, first).when().get(USERS + "/{id}", candidateId).then().statusCode(200)
                    .body("roles", hasItem(Roles.ADMIN));

            // The log: requested by the first ADMIN, granted by the second, and auth's role.granted by the second.
            assertEquals(firstId, auditRow(candidateId, EventType.APPROVAL_REQUESTED).get("actor"));
            Map<String, Object> granted = auditRow(candidateId, EventType.APPROVAL_GRANTED);
            assertEquals(secondId, granted.get("actor"));
            assertTrue(String.valueOf(granted.get("data")).contains(id), String.valueOf(granted.get("data")));
            assertEquals(secondId, auditRow(candidateId, EventType.ROLE_GRANTED).get("actor"));
            console(sentinel, approver).when().post(APPROVALS + "/{id}/approve", id).then().statusCode(409)
                    .body("code", equalTo(ErrorCode.BIZ_APPROVAL_CLOSED.name()));
        } finally {
            // Back to one ADMIN (losing ADMIN is not gated).
            for (String user : List.of(candidateId, secondId)) {
                console(sentinel, first).body(Map.of("roles", List.of(Roles.USER)))
                        .when().post(USERS + "/{id}/roles", user).then().statusCode(200);
            }
        }
    }

    /** The roles ({@code groups}) of a sign-in's access token. */
    private static List<String> groups(SignedIn session) {
        return session.claims().getList("groups");
    }
}
