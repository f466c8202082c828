package dev.sentinel.systemtests;

import dev.sentinel.contracts.events.EventType;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.Sentinel.SignedIn;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import dev.sentinel.systemtests.support.Users.Credentials;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
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
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The admin console API of admin-audit-service against the real suite: admin-audit signs in to
 * auth-service with client_credentials and acts on users for the calling administrator, who is
 * the actor of auth's events (and so of the audit rows).
 */
@SystemTest
class AdminConsoleIT {

    private static final String PROBLEM_JSON = "application/problem+json";

    @Test
    void searchGrantLastAdminLockAndUnlockThroughTheConsole(Sentinel sentinel) {
        String marker = "con" + UUID.randomUUID().toString().substring(0, 6);
        Credentials first = Users.registerAndVerify(sentinel, marker);
        Credentials second = Users.registerAndVerify(sentinel, marker);
        Credentials third = Users.registerAndVerify(sentinel, marker);
        SignedIn admin = sentinel.signInAsAdmin();
        String adminId = me(sentinel, admin);

        // Search: pages of 2 by email, with the total on request, then the rest by cursor.
        JsonPath page1 = console(sentinel, admin).queryParam("query", marker.toUpperCase()).queryParam("sort", "email")
                .queryParam("limit", 2).queryParam("count", true)
                .when().get(USERS).then().statusCode(200)
                .body("total", equalTo(3)).body("items", hasSize(2)).body("nextCursor", notNullValue())
                .extract().jsonPath();
        String cursor = page1.getString("nextCursor");
        List<String> emails = new java.util.ArrayList<>(page1.getList("items.email"));
        console(sentinel, admin).queryParam("query", marker.toUpperCase()).queryParam("sort", "email")
                .queryParam("limit", 2).queryParam("cursor", cursor)
                .when().get(USERS).then().statusCode(200)
                .body("items", hasSize(1)).body("nextCursor", nullValue()).body("total", nullValue())
                .body("items[0].email", equalTo(emailsAfter(emails, first, second, third)));
        console(sentinel, admin).queryParam("query", marker).queryParam("sort", "email").queryParam("cursor", cursor)
                .when().get(USERS).then().statusCode(400).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.VAL_INVALID_FIELDS.name()));
        console(sentinel, admin).queryParam("query", marker).queryParam("sort", "email")
                .queryParam("cursor", "e30." + cursor.substring(cursor.indexOf('.') + 1))
                .when().get(USERS).then().statusCode(400).contentType(PROBLEM_JSON);

        String firstId = idOf(sentinel, admin, first.email());
        String secondId = idOf(sentinel, admin, second.email());
        String thirdId = idOf(sentinel, admin, third.email());
        console(sentinel, admin).when().get(USERS + "/{id}", thirdId).then().statusCode(200)
                .body("email", equalTo(third.email())).body("status", equalTo("ACTIVE"))
                .body("emailVerified", equalTo(true)).body("roles", equalTo(List.of(Roles.USER)));
        console(sentinel, admin).when().get(USERS + "/{id}", UUID.randomUUID()).then().statusCode(404)
                .contentType(PROBLEM_JSON).body("code", equalTo(ErrorCode.BIZ_USER_NOT_FOUND.name()));

        // Grant SUPPORT: the new support agent lists and reads, but cannot grant or lock.
        console(sentinel, admin).body(Map.of("roles", List.of(Roles.USER, Roles.SUPPORT)))
                .when().post(USERS + "/{id}/roles", firstId).then().statusCode(200)
                .body("roles", equalTo(List.of(Roles.SUPPORT, Roles.USER)));
        console(sentinel, admin).body(Map.of("roles", List.of(Roles.SERVICE)))
                .when().post(USERS + "/{id}/roles", secondId).then().statusCode(422).contentType(PROBLEM_JSON);
        SignedIn support = sentinel.signIn(first.email(), first.password());
        console(sentinel, support).queryParam("query", marker).when().get(USERS).then().statusCode(200)
                .body("items", hasSize(3));
        console(sentinel, support).when().get(USERS + "/{id}", secondId).then().statusCode(200);
        console(sentinel, support).body(Map.of("roles", List.of(Roles.USER, Roles.ADMIN)))
                .when().post(USERS + "/{id}/roles", secondId).then().statusCode(403).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.AUTH_FORBIDDEN.name()));
        console(sentinel, support).body(Map.of("reason", "x"))
                .when().post(USERS + "/{id}/lock", secondId).then().statusCode(403);
        console(sentinel, support).when().post(USERS + "/{id}/reset-2fa", secondId).then().statusCode(403);
        console(sentinel, support).when().post(USERS + "/{id}/resend-verification", secondId).then().statusCode(202)
                .body("sent", equalTo(false));

        // BILLING_ADMIN reads only.
        console(sentinel, admin).body(Map.of("roles", List.of(Roles.USER, Roles.BILLING_ADMIN)))
                .when().post(USERS + "/{id}/roles", secondId).then().statusCode(200);
        SignedIn billing = sentinel.signIn(second.email(), second.password());
        console(sentinel, billing).queryParam("query", marker).when().get(USERS).then().statusCode(200);
        // The detail without the audit log's part (only ADMIN and SUPPORT read the log).
        console(sentinel, billing).when().get(USERS + "/{id}", thirdId).then().statusCode(200)
                .body("recentAudit", nullValue()).body("lastSignIns", nullValue()).body("sessions", nullValue());
        console(sentinel, billing).when().post(USERS + "/{id}/unlock", thirdId).then().statusCode(403);
        console(sentinel, billing).when().post(USERS + "/{id}/resend-verification", thirdId).then().statusCode(403);

        // The last administrator cannot give the role up.
        console(sentinel, admin).body(Map.of("roles", List.of(Roles.USER)))
                .when().post(USERS + "/{id}/roles", adminId).then().statusCode(409).contentType(PROBLEM_JSON)
                .body("code", equalTo(ErrorCode.BIZ_LAST_ADMIN.name()));

        // Lock: the user's token is refused at once on all four services, so are refresh and sign-in.
        SignedIn victim = sentinel.signIn(third.email(), third.password());
        console(sentinel, admin).when().post(USERS + "/{id}/reset-2fa", thirdId).then().statusCode(204);
        console(sentinel, admin).body(Map.of("reason", "chargeback fraud"))
                .when().post(USERS + "/{id}/lock", thirdId).then().statusCode(204);
        for (RequestSpecification call : List.of(
                sentinel.auth().header("Authorization", victim.bearer()).basePath("/v1/auth/me"),
                sentinel.account().header("Authorization", victim.bearer()).basePath("/v1/account/limits"),
                sentinel.adminAudit().header("Authorization", victim.bearer()).basePath(USERS),
                sentinel.notification().header("Authorization", victim.bearer()).basePath("/v1/notifications/dead-letters"))) {
            call.when().get().then().statusCode(401).contentType(PROBLEM_JSON)
                    .body("code", equalTo(ErrorCode.AUTH_SESSION_REVOKED.name()));
        }
        sentinel.auth().body(Map.of("refreshToken", victim.refreshToken())).when().post("/v1/auth/refresh")
                .then().statusCode(401).contentType(PROBLEM_JSON);
        sentinel.auth().body(Map.of("email", third.email(), "password", third.password())).when().post("/v1/auth/login")
                .then().statusCode(423).body("code", equalTo(ErrorCode.AUTH_ACCOUNT_LOCKED.name()));
        console(sentinel, admin).queryParam("query", marker).queryParam("status", "LOCKED").queryParam("count", true)
                .when().get(USERS).then().statusCode(200).body("total", equalTo(1)).body("items[0].id", equalTo(thirdId));

        // Unlock (by support), and the user signs in again.
        console(sentinel, support).when().post(USERS + "/{id}/unlock", thirdId).then().statusCode(204);
        sentinel.signIn(third.email(), third.password());

        // Auth's events, and so the audit log, name the console's caller as the actor.
        assertEquals(adminId, auditActor(firstId, EventType.ROLE_GRANTED));
        Map<String, Object> lock = auditRow(thirdId, EventType.USER_LOCKED);
        assertEquals(adminId, lock.get("actor"));
        assertEquals(true, String.valueOf(lock.get("data")).contains("chargeback fraud"), String.valueOf(lock.get("data")));
        assertEquals(me(sentinel, support), auditActor(thirdId, EventType.USER_UNLOCKED));
    }

    @Test
    void badInputIsA4xxProblemAndUnknownUsersA404(Sentinel sentinel) {
        SignedIn admin = sentinel.signInAsAdmin();
        String nobody = UUID.randomUUID().toString();
        console(sentinel, admin).queryParam("limit", 201).when().get(USERS).then().statusCode(400).contentType(PROBLEM_JSON);
        console(sentinel, admin).queryParam("sort", "password").when().get(USERS).then().statusCode(400)
                .contentType(PROBLEM_JSON).body("code", equalTo(ErrorCode.VAL_INVALID_FIELDS.name()));
        console(sentinel, admin).queryParam("status", "HAPPY").when().get(USERS).then().statusCode(400);
        console(sentinel, admin).queryParam("limit", 200).when().get(USERS).then().statusCode(200);
        for (String action : List.of("unlock", "reset-2fa", "resend-verification")) {
            console(sentinel, admin).when().post(USERS + "/{id}/" + action, nobody).then().statusCode(404)
                    .contentType(PROBLEM_JSON).body("code", equalTo(ErrorCode.BIZ_USER_NOT_FOUND.name()));
        }
        console(sentinel, admin).body(Map.of("reason", "r")).when().post(USERS + "/{id}/lock", nobody)
                .then().statusCode(404).contentType(PROBLEM_JSON);
        console(sentinel, admin).body("{\"roles\": 7}").when().post(USERS + "/{id}/roles", nobody)
                .then().statusCode(400).contentType(PROBLEM_JSON);
        console(sentinel, admin).when().get(USERS).then().statusCode(200);
        sentinel.adminAudit().when().get(USERS).then().statusCode(401).contentType(PROBLEM_JSON);
    }

    @Test
    void revokeSessionsThroughTheConsoleAndTheDetailShowsPlanAndSpend(Sentinel sentinel) {
        Credentials user = Users.registerAndVerify(sentinel, "rev" + UUID.randomUUID().toString().substring(0, 6));
        SignedIn admin = sentinel.signInAsAdmin();
        String adminId = me(sentinel, admin);
        String userId = idOf(sentinel, admin, user.email());
        SignedIn victim = sentinel.signIn(user.email(), user.password());
        SignedIn second = sentinel.signIn(user.email(), user.password());
        sentinel.account().header("Authorization", victim.bearer())
                .body(Map.of("amountCents", 275, "idempotencyKey", UUID.randomUUID().toString()))
                .when().post("/v1/account/spend").then().statusCode(200);

        // The detail: auth's part (sessions, lockout) and account's (plan, cap, this period's spend).
        JsonPath detail = console(sentinel, admin).when().get(USERS + "/{id}", userId).then().statusCode(200)
                .body("email", equalTo(user.email()))
                .body("lockout.locked", equalTo(false)).body("sessions", hasSize(2))
                .body("billing.plan", equalTo("FREE")).body("billing.spentCents", equalTo(275))
                .body("unavailable", nullValue())
                .extract().jsonPath();
        JsonPath limits = sentinel.account().header("Authorization", victim.bearer()).when().get("/v1/account/limits")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(limits.getLong("monthlyCapCents"), detail.getLong("billing.monthlyCapCents"));
        assertEquals(limits.getLong("remainingCents"), detail.getLong("billing.remainingCents"));
        assertEquals(java.util.Set.of(sid(victim), sid(second)), java.util.Set.copyOf(detail.getList("sessions.id")));
        for (Map<String, Object> session : detail.<Map<String, Object>>getList("sessions")) {
            assertEquals(java.util.Set.of("id", "device", "network", "createdAt", "lastUsedAt"), session.keySet());
        }

        // Revoke every session: the refresh tokens die on auth, the access tokens everywhere.
        console(sentinel, admin).when().post(USERS + "/{id}/sessions/revoke", userId).then().statusCode(200)
                .body("revoked", equalTo(2));
        for (SignedIn session : List.of(victim, second)) {
            sentinel.auth().body(Map.of("refreshToken", session.refreshToken())).when().post("/v1/auth/refresh")
                    .then().statusCode(401).contentType(PROBLEM_JSON)
                    .body("code", equalTo(ErrorCode.AUTH_REFRESH_INVALID.name()));
            sentinel.account().header("Authorization", session.bearer()).when().get("/v1/account/limits")
                    .then().statusCode(401).body("code", equalTo(ErrorCode.AUTH_SESSION_REVOKED.name()));
        }
        console(sentinel, admin).when().get(USERS + "/{id}", userId).then().statusCode(200).body("sessions", hasSize(0));
        console(sentinel, admin).when().post(USERS + "/{id}/sessions/revoke", UUID.randomUUID()).then().statusCode(404)
                .contentType(PROBLEM_JSON).body("code", equalTo(ErrorCode.BIZ_USER_NOT_FOUND.name()));

        // The audit log names the console's caller.
        Map<String, Object> row = auditRow(userId, EventType.SESSION_REVOKED_BY_ADMIN);
        assertEquals(adminId, row.get("actor"));
        assertEquals(true, String.valueOf(row.get("data")).contains(sid(victim)), String.valueOf(row.get("data")));
        // The detail's own part, from this log (that row and every earlier one about the user have
        // landed): the newest rows about the user, newest first, and their two sign-ins.
        JsonPath withLog = console(sentinel, admin).when().get(USERS + "/{id}", userId).then().statusCode(200)
                .body("lastSignIns", hasSize(2)).body("lastSignIns.ip", everyItem(notNullValue()))
                .body("recentAudit.type", hasItem(EventType.SESSION_REVOKED_BY_ADMIN.wireName()))
                .body("recentAudit.type", hasItem(EventType.AUTH_LOGIN_SUCCEEDED.wireName()))
                .body("recentAudit.subject", everyItem(equalTo(userId)))
                .extract().jsonPath();
        List<Long> seqs = withLog.getList("recentAudit.seq", Long.class);
        assertTrue(seqs.size() <= 10, "at most 10 rows: " + seqs);
        List<Long> newestFirst = new java.util.ArrayList<>(seqs);
        newestFirst.sort(java.util.Comparator.reverseOrder());
        assertEquals(newestFirst, seqs, "newest first");
        assertTrue(withLog.<Long>getList("recentAudit.seq", Long.class).containsAll(
                withLog.getList("lastSignIns.seq", Long.class)), "the sign-ins are among the recent rows");
        // The user signs in again.
        sentinel.signIn(user.email(), user.password());
    }

    @Test
    void aUserMovedToAPaidPlanIsFoundByThePlanFilterAndShowsItsPlan(Sentinel sentinel) {
        String marker = "pln" + UUID.randomUUID().toString().substring(0, 6);
        Credentials paying = Users.registerAndVerify(sentinel, marker);
        Credentials free = Users.registerAndVerify(sentinel, marker);
        SignedIn admin = sentinel.signInAsAdmin();
        String payingId = idOf(sentinel, admin, paying.email());
        String freeId = idOf(sentinel, admin, free.email());
        // account-service owns plans: its admin API moves the user to PRO.
        sentinel.account().header("Authorization", admin.bearer()).body(Map.of("plan", "PRO"))
                .when().post("/v1/admin/accounts/{id}/plan", payingId).then().statusCode(200).body("plan", equalTo("PRO"));
        // The FREE user has an account once used (it may also come from user.registered).
        SignedIn freeSession = sentinel.signIn(free.email(), free.password());
        sentinel.account().header("Authorization", freeSession.bearer()).when().get("/v1/account/plan")
                .then().statusCode(200).body("plan", equalTo("FREE"));

        console(sentinel, admin).queryParam("query", marker).queryParam("plan", "PRO").when().get(USERS)
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(payingId))
                .body("items[0].plan", equalTo("PRO")).body("nextCursor", nullValue());
        console(sentinel, admin).queryParam("query", marker).queryParam("plan", "FREE").when().get(USERS)
                .then().statusCode(200).body("items", hasSize(1)).body("items[0].id", equalTo(freeId))
                .body("items[0].plan", equalTo("FREE"));
        // The column without a filter; a plain USER may not search.
        SignedIn plainUser = sentinel.signIn(paying.email(), paying.password());
        JsonPath all = console(sentinel, admin).queryParam("query", marker).queryParam("sort", "createdAt").when().get(USERS)
                .then().statusCode(200).body("items", hasSize(2)).body("unavailable", nullValue()).extract().jsonPath();
        assertEquals(Map.of(payingId, "PRO", freeId, "FREE"), Map.of(all.getString("items[0].id"), all.getString("items[0].plan"),
                all.getString("items[1].id"), all.getString("items[1].plan")));
        console(sentinel, admin).queryParam("plan", "GOLD").when().get(USERS).then().statusCode(400)
                .contentType(PROBLEM_JSON).body("errors[0].field", equalTo("plan"));
        console(sentinel, admin).queryParam("plan", "PRO").queryParam("count", true).when().get(USERS).then().statusCode(400)
                .contentType(PROBLEM_JSON).body("errors[0].field", equalTo("count"));
        console(sentinel, plainUser).queryParam("query", marker).queryParam("plan", "PRO").when().get(USERS).then().statusCode(403);
    }

    /** The session id of a sign-in: the {@code sid} claim of its access token. */
    private static String sid(SignedIn session) {
        return session.claims().getString("sid");
    }

    /** The email of the three that is not on the first page (the one sorted last). */
    private static String emailsAfter(List<String> firstPage, Credentials... users) {
        return java.util.Arrays.stream(users).map(Credentials::email).map(e -> e.toLowerCase(java.util.Locale.ROOT))
                .filter(e -> firstPage.stream().noneMatch(e::equalsIgnoreCase)).findFirst().orElseThrow();
    }

    private static String auditActor(String subject, EventType type) {
        return (String) auditRow(subject, type).get("actor");
    }
}
