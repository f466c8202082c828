package dev.sentinel.auth;

import dev.sentinel.auth.support.Accounts;
import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.ClientAddressContract;
import dev.sentinel.contracts.testing.NetworkNamespace;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * auth-service records the client address where a user sees it (the network of each session)
 * and counts per-IP limits by it: from a peer that is not a trusted proxy, X-Forwarded-For
 * changes neither. Besides the shared edge checks of {@link ClientAddressContract}.
 */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class ClientAddressTest extends ClientAddressContract {

    private static final Pattern ACCESS_TOKEN = Pattern.compile("\"accessToken\"\\s*:\\s*\"([^\"]+)\"");

    @Inject
    Pool pool;

    @Test
    void aSessionOpenedFromAnUntrustedPeerShowsThePeersNetwork() {
        String email = Accounts.newEmail();
        new Accounts(pool).verifiedUser(email);

        String access = accessToken(loginFromNamespace(email, Accounts.PASSWORD, CLAIMED));
        String peerNetwork = namespace.clientAddress().substring(0, namespace.clientAddress().lastIndexOf('.')) + ".0/24";
        given().auth().oauth2(access).get("/v1/auth/sessions")
                .then().statusCode(200).body("network", contains(peerNetwork));
    }

    @Test
    void aSessionOpenedThroughTheGatewayShowsTheForwardedNetwork() {
        String email = Accounts.newEmail();
        new Accounts(pool).verifiedUser(email);

        String access = Accounts.login(email, Accounts.PASSWORD, CLAIMED).then().statusCode(200)
                .extract().path("accessToken");
        given().auth().oauth2(access).get("/v1/auth/sessions")
                .then().statusCode(200).body("network", contains("198.51.100.0/24"));
    }

    @Test
    void thePerIpLoginLimitCountsThePeerWhateverItClaims() {
        List<String> statuses = new ArrayList<>();
        for (int i = 0; i <= 30; i++) {
            String claimed = "198.51.100." + (i + 1); // a different claim every time
            NetworkNamespace.Result result = loginFromNamespace(Accounts.newEmail(), "Wrong-Password-Entirely-1", claimed);
            statuses.add(status(result));
        }
        assertEquals("429", statuses.get(statuses.size() - 1), "statuses: " + statuses);
        assertTrue(statuses.subList(0, 25).stream().noneMatch("429"::equals), "limited too early: " + statuses);
    }

    private static NetworkNamespace.Result loginFromNamespace(String email, String password, String claimed) {
        String body = "{\"email\":\"" + email + "\",\"password\":\"" + password + "\",\"captchaToken\":\""
                + AuthTestResource.CAPTCHA_PASS + "\"}";
        return namespace.curl("-i", "-X", "POST", "-H", "Content-Type: application/json",
                "-H", "User-Agent: " + Accounts.BROWSER, "-H", "X-Forwarded-For: " + claimed,
                "--data-binary", body, namespace.url(RestAssured.port, "/v1/auth/login"));
    }

    private static String accessToken(NetworkNamespace.Result result) {
        Matcher matcher = ACCESS_TOKEN.matcher(result.output());
        assertTrue(matcher.find(), "no access token in: " + result.output());
        return matcher.group(1);
    }

    private static String status(NetworkNamespace.Result result) {
        String[] statusLine = result.output().split("\r?\n", 2)[0].split(" ");
        return statusLine.length > 1 ? statusLine[1] : result.output();
    }
}
