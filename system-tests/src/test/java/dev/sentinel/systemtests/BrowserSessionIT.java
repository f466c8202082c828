package dev.sentinel.systemtests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.systemtests.support.Gateway;
import dev.sentinel.systemtests.support.NodeTools;
import dev.sentinel.systemtests.support.Sentinel;
import dev.sentinel.systemtests.support.SystemTest;
import dev.sentinel.systemtests.support.Users;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A browser's session through the gateway, in headless Chromium (Debian's, driven by
 * playwright-core: {@code system-tests/browser/browser.cjs}). A stand-in SPA page
 * ({@code system-tests/browser/spa.html}, served by the script on the gateway's origin, never by
 * the gateway) registers; this test reads the verification mail over IMAP and hands the page
 * the token; the page verifies, signs in in cookie mode, is refused a refresh without the CSRF
 * header, refreshes with it, reads its limits from account-service and signs out. What the
 * browser itself keeps is checked: the refresh cookie is HttpOnly, Secure, SameSite=Strict on
 * /v1/auth and invisible to the page's script, it rotates on refresh, and logout clears it.
 * The browser must be one a user has: Chromium accepts the Secure cookies on
 * http://127.0.0.1 (a potentially trustworthy origin), which is what a user of
 * {@code sentinel up} gets; in production the gateway is behind TLS.
 */
@SystemTest
class BrowserSessionIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void anSpaSignsUpSignsInRefreshesAndSignsOutInChromium(Sentinel sentinel) {
        Gateway gateway = sentinel.gateway();
        Users.Credentials user = Users.newCredentials("browser");
        JsonNode result = NodeTools.browser(sentinel.root(),
                Path.of("target", "e2e-logs", "browser-spa.log").toAbsolutePath(), Duration.ofSeconds(150),
                event -> {
                    if (!"registered".equals(event.path("event").asText())) {
                        throw new AssertionError("unexpected event from the browser: " + event);
                    }
                    String token = Users.token(Users.verificationLink(user.email()));
                    return JSON.createObjectNode().put("token", token).toString();
                },
                "spa", gateway.url(), user.email(), user.password());
        JsonNode steps = result.path("steps");

        assertAll(
                () -> assertEquals(202, steps.path("register").path("status").asInt(), "register"),
                () -> assertEquals(200, steps.path("verify").path("status").asInt(), "verify " + steps.path("verify")),
                () -> assertEquals(Map.of("status", 200, "hasAccessToken", true, "hasCsrfToken", true,
                        "refreshTokenInBody", false), step(steps, "login"), "cookie-mode login"),
                () -> assertEquals(List.of(), JSON.convertValue(result.path("problems"), List.class),
                        "the page logged errors (script or network)"));

        // What Chromium keeps from the login on http://127.0.0.1 (a potentially trustworthy
        // origin, so it accepts Secure cookies without TLS, as it would over HTTPS in production).
        assertEquals(List.of(
                        Map.of("name", "sentinel_csrf", "path", "/", "httpOnly", false, "secure", true,
                                "sameSite", "Strict", "session", false),
                        Map.of("name", "sentinel_refresh", "path", "/v1/auth", "httpOnly", true, "secure", true,
                                "sameSite", "Strict", "session", false)),
                sorted(steps.path("cookiesAfterLogin")), "the cookies Chromium stored at login");
        // Script on the SPA's pages cannot read the refresh token (HttpOnly); it can read the
        // CSRF cookie (on /), so a reloaded page can still refresh (asserted below).
        assertEquals(List.of("sentinel_csrf"), JSON.convertValue(steps.path("visibleCookiesAfterLogin"), List.class),
                "the cookies the page's script can read");

        assertAll(
                // What a cross-site form or a script without the token can send: cookies only.
                () -> assertEquals(401, steps.path("refreshWithoutCsrf").path("status").asInt(), "refresh without X-CSRF-Token"),
                () -> assertEquals(ErrorCode.AUTH_REFRESH_INVALID.name(), steps.path("refreshWithoutCsrf").path("code").asText()),
                () -> assertTrue(steps.path("refreshWithoutCsrfKeptCookie").asBoolean(), "a refused refresh leaves the cookie"),
                () -> assertEquals(Map.of("status", 200, "hasAccessToken", true, "hasCsrfToken", true,
                        "refreshTokenInBody", false), step(steps, "refresh"), "refresh with X-CSRF-Token"),
                () -> assertTrue(steps.path("refreshRotatedCookie").asBoolean(), "the refresh cookie rotates"),
                () -> assertEquals(sorted(steps.path("cookiesAfterLogin")), sorted(steps.path("cookiesAfterRefresh")),
                        "the rotated cookies keep their attributes"),
                () -> assertEquals(Map.of("status", 200, "hasAccessToken", true, "hasCsrfToken", true,
                        "refreshTokenInBody", false), step(steps, "refreshAfterReload"),
                        "a reloaded page refreshes with the CSRF token read from its cookie"),
                () -> assertEquals(200, steps.path("limits").path("status").asInt(), "account-service with the refreshed token"),
                () -> assertTrue(steps.path("limits").path("hasCap").asBoolean(), "limits answer"),
                () -> assertEquals(204, steps.path("logout").path("status").asInt(), "logout"),
                () -> assertEquals(List.of(), sorted(steps.path("cookiesAfterLogout")), "logout clears both cookies"),
                () -> assertEquals(401, steps.path("refreshAfterLogout").path("status").asInt(), "refresh after logout"),
                () -> assertEquals(401, steps.path("limitsAfterLogout").path("status").asInt(), "the old access token after logout"),
                () -> assertEquals(ErrorCode.AUTH_SESSION_REVOKED.name(), steps.path("limitsAfterLogout").path("code").asText()));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> step(JsonNode steps, String name) {
        Map<String, Object> step = new TreeMap<>(JSON.convertValue(steps.path(name), Map.class));
        step.remove("code");
        return step;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> sorted(JsonNode cookies) {
        List<Map<String, Object>> list = new ArrayList<>(JSON.convertValue(cookies, List.class));
        list.sort(Comparator.comparing(c -> String.valueOf(c.get("name"))));
        return list;
    }
}
