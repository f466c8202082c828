package dev.sentinel.auth.admin;

import dev.sentinel.auth.TestClock;
import dev.sentinel.auth.mfa.IndependentTotp;
import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.security.Roles;
import dev.sentinel.contracts.testing.TestJwt;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonArray;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every admin action on a user is an event with the administrator as actor and the state
 * before and after it in {@code data.before} / {@code data.after} (DESIGN §6): roles, lock,
 * unlock, and the 2FA reset, which is {@code mfa.reset_by_admin} (not the user's own
 * {@code mfa.disabled}). Driven over HTTP; the events are read from auth's outbox.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class AdminActionEventsTest {

    private static final String USERS = "/v1/auth/internal/users";

    @Inject
    TestClock clock; // the service's clock (real time here): codes are computed on it
    @Inject
    Pool pool;
    Accounts accounts;
    String adminId;
    String admin;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(pool);
        adminId = UUID.randomUUID().toString();
        admin = TestJwt.tokenFor(adminId, UUID.randomUUID().toString(), Roles.ADMIN);
    }

    @Test
    void rolesLockAndUnlockCarryTheStateBeforeAndAfter() {
        String userId = accounts.verifiedUser(Accounts.newEmail());
        roles(userId, List.of("USER", "SUPPORT"));
        roles(userId, List.of("SUPPORT"));
        assertEquals(List.of(adminId), accounts.eventValues(userId, "role.granted", "actor"));
        assertEquals(List.of(List.of("USER")), json(accounts.eventValues(userId, "role.granted", "data.before.roles")));
        assertEquals(List.of(List.of("SUPPORT", "USER")),
                json(accounts.eventValues(userId, "role.granted", "data.after.roles")));
        assertEquals(List.of("USER"), accounts.eventValues(userId, "role.revoked", "data.role"));
        assertEquals(List.of(List.of("SUPPORT", "USER")),
                json(accounts.eventValues(userId, "role.revoked", "data.before.roles")));
        assertEquals(List.of(List.of("SUPPORT")), json(accounts.eventValues(userId, "role.revoked", "data.after.roles")));

        // Through the console: a SERVICE caller naming the administrator, who is the actor.
        given().auth().oauth2(TestJwt.token(Roles.SERVICE)).header("X-Acting-Admin", adminId)
                .contentType(ContentType.JSON).body(Map.of("reason", "fraud")).post(USERS + "/" + userId + "/lock")
                .then().statusCode(204);
        given().auth().oauth2(admin).post(USERS + "/" + userId + "/unlock").then().statusCode(204);
        assertEquals(List.of(adminId), accounts.eventValues(userId, "user.locked", "actor"));
        assertEquals(List.of("ACTIVE"), accounts.eventValues(userId, "user.locked", "data.before.status"));
        assertEquals(List.of("LOCKED"), accounts.eventValues(userId, "user.locked", "data.after.status"));
        assertEquals(List.of("fraud"), accounts.eventValues(userId, "user.locked", "data.note"));
        assertEquals(List.of(adminId), accounts.eventValues(userId, "user.unlocked", "actor"));
        assertEquals(List.of("LOCKED"), accounts.eventValues(userId, "user.unlocked", "data.before.status"));
        assertEquals(List.of("ACTIVE"), accounts.eventValues(userId, "user.unlocked", "data.after.status"));

        // No change, no event; a refused change, no event either.
        given().auth().oauth2(admin).post(USERS + "/" + userId + "/unlock").then().statusCode(204);
        assertEquals(1, accounts.events(userId, "user.unlocked"));
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("roles", List.of("SERVICE")))
                .post(USERS + "/" + userId + "/roles").then().statusCode(422);
        assertEquals(1, accounts.events(userId, "role.granted"));
    }

    @Test
    void aTwoFactorResetIsMfaResetByAdminWithTheStateBeforeAndAfter() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        String ip = Accounts.newIp();
        String access = Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).extract().path("accessToken");
        String secret = given().auth().oauth2(access).post("/v1/auth/2fa/enable-init").then().statusCode(200)
                .extract().path("secret");
        given().auth().oauth2(access).contentType(ContentType.JSON).body(Map.of("code", IndependentTotp.now(clock, secret, 0)))
                .post("/v1/auth/2fa/enable-complete").then().statusCode(200).body("recoveryCodes", hasSize(10));

        given().auth().oauth2(admin).get(USERS + "/" + userId).then().statusCode(200)
                .body("mfaEnabled", equalTo(true)).body("recoveryCodesLeft", equalTo(10))
                .body("lockout.locked", equalTo(false)).body("lockout.failures", equalTo(0));

        given().auth().oauth2(admin).post(USERS + "/" + UUID.randomUUID() + "/reset-2fa").then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(admin).post(USERS + "/" + userId + "/reset-2fa").then().statusCode(204);

        assertEquals(List.of(adminId), accounts.eventValues(userId, "mfa.reset_by_admin", "actor"));
        assertEquals(List.of("true"), accounts.eventValues(userId, "mfa.reset_by_admin", "data.before.mfaEnabled"));
        assertEquals(List.of("10"), accounts.eventValues(userId, "mfa.reset_by_admin", "data.before.recoveryCodesLeft"));
        assertEquals(List.of("false"), accounts.eventValues(userId, "mfa.reset_by_admin", "data.after.mfaEnabled"));
        assertEquals(0, accounts.events(userId, "mfa.disabled"), "an admin reset is not the user's own disable");
        assertEquals(1, accounts.emails(email, "mfa-disabled"));
        // The password alone signs in again; a second reset finds nothing to do and says nothing.
        Accounts.login(email, Accounts.PASSWORD, ip).then().statusCode(200).body("accessToken", org.hamcrest.Matchers.notNullValue());
        given().auth().oauth2(admin).post(USERS + "/" + userId + "/reset-2fa").then().statusCode(204);
        assertEquals(1, accounts.events(userId, "mfa.reset_by_admin"));
    }

    @Test
    void theDetailShowsTheSignInLockout() {
        String email = Accounts.newEmail();
        String userId = accounts.verifiedUser(email);
        given().auth().oauth2(admin).get(USERS + "/" + userId).then().statusCode(200)
                .body("recoveryCodesLeft", nullValue()).body("lockout.locked", equalTo(false))
                .body("lockout.failures", equalTo(0)).body("lockout.retryAfterSeconds", equalTo(0));
        for (int i = 0; i < 2; i++) {
            Accounts.login(email, "Wrong-Password-Entirely-1", Accounts.newIp()).then().statusCode(401);
        }
        given().auth().oauth2(admin).get(USERS + "/" + userId).then().statusCode(200)
                .body("lockout.locked", equalTo(false)).body("lockout.failures", equalTo(2));
        for (int i = 0; i < 3; i++) {
            Accounts.login(email, "Wrong-Password-Entirely-1", Accounts.newIp()).then().statusCode(401);
        }
        given().auth().oauth2(TestJwt.token(Roles.SERVICE)).get(USERS + "/" + userId).then().statusCode(200)
                .body("lockout.locked", equalTo(true)).body("lockout.retryAfterSeconds", greaterThan(0));
        // Unlock lifts the sign-in lockout too.
        given().auth().oauth2(admin).post(USERS + "/" + userId + "/unlock").then().statusCode(204);
        given().auth().oauth2(admin).get(USERS + "/" + userId).then().statusCode(200)
                .body("lockout.locked", equalTo(false)).body("lockout.failures", equalTo(0));
    }

    private void roles(String userId, List<String> roles) {
        given().auth().oauth2(admin).contentType(ContentType.JSON).body(Map.of("roles", roles))
                .post(USERS + "/" + userId + "/roles").then().statusCode(200);
    }

    private static List<List<Object>> json(List<String> arrays) {
        return arrays.stream().map(a -> new JsonArray(a).getList()).map(l -> (List<Object>) l).toList();
    }
}
