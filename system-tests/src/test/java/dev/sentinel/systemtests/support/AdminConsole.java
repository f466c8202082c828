package dev.sentinel.systemtests.support;

import dev.sentinel.contracts.events.EventType;
import dev.sentinel.systemtests.support.Sentinel.SignedIn;
import io.restassured.specification.RequestSpecification;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.hamcrest.Matchers.hasSize;

/** What the admin-console tests share: the console as a caller, who a caller is, and the log's rows. */
public final class AdminConsole {

    public static final String USERS = "/v1/admin/users";

    private AdminConsole() {
    }

    /** A request to admin-audit-service's console API as {@code caller}. */
    public static RequestSpecification console(Sentinel sentinel, SignedIn caller) {
        return sentinel.adminAudit().header("Authorization", caller.bearer());
    }

    /** The user id of a sign-in, as auth's {@code /v1/auth/me} answers it. */
    public static String me(Sentinel sentinel, SignedIn session) {
        return sentinel.auth().header("Authorization", session.bearer()).when().get("/v1/auth/me")
                .then().statusCode(200).extract().path("id");
    }

    /** The id of the one user the console's search finds for {@code email}. */
    public static String idOf(Sentinel sentinel, SignedIn admin, String email) {
        return console(sentinel, admin).queryParam("query", email).when().get(USERS).then().statusCode(200)
                .body("items", hasSize(1)).extract().path("items[0].id");
    }

    /** The newest audit row (actor, data) of an event type about a subject; it arrives over Kafka. */
    public static Map<String, Object> auditRow(String subject, EventType type) {
        return Eventually.await(Duration.ofSeconds(60), type.wireName() + " of " + subject + " in the audit log", () -> {
            List<Map<String, Object>> rows = Databases.query(Service.ADMIN_AUDIT,
                    "select actor, data from audit_log where subject = ? and type = ? order by seq desc", subject,
                    type.wireName());
            return rows.isEmpty() ? null : rows.get(0);
        });
    }
}
