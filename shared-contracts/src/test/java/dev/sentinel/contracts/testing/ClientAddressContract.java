package dev.sentinel.contracts.testing;

import io.restassured.RestAssured;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every service takes the client address the same way (TRUSTED_PROXIES, shared-contracts):
 * {@code X-Forwarded-For} from loopback (the local gateway) names the client; from any other
 * peer it is ignored and the peer's own address counts. Checked from a network namespace of
 * the test's own, through what every service does with the address: a request refused at
 * the edge is logged with it. A {@code @QuarkusTest} subclass in each service runs this.
 */
public abstract class ClientAddressContract {

    /** A documentation address (TEST-NET-2): what a client claims to be. */
    protected static final String CLAIMED = "198.51.100.77";

    protected static NetworkNamespace namespace;

    @BeforeAll
    static void createNamespace() {
        namespace = NetworkNamespace.create();
    }

    @AfterAll
    static void removeNamespace() {
        if (namespace != null) {
            namespace.close();
            namespace = null;
        }
    }

    @Test
    void anUntrustedPeerCannotNameItsOwnAddress() {
        try (EdgeLog log = EdgeLog.listen()) {
            NetworkNamespace.Result result = namespace.curl("-i", "-X", "POST", "-H", "Content-Length: 100000",
                    "-H", "X-Forwarded-For: " + CLAIMED, namespace.url(RestAssured.port, "/v1/anything"));
            assertThat(result.output(), containsString(" 413 "));
            assertThat(result.output(), containsString("\"code\":\"VAL_BODY_TOO_LARGE\""));
            assertThat(log.lines(), hasItem(containsString("413 VAL_BODY_TOO_LARGE from " + namespace.clientAddress())));
            assertThat(log.lines(), not(hasItem(containsString(CLAIMED))));
        }
    }

    @Test
    void theTrustedGatewayNamesTheClient() throws Exception {
        try (EdgeLog log = EdgeLog.listen()) {
            RawHttp.Answer answer = RawHttp.send(RestAssured.port, "POST /v1/anything HTTP/1.1\r\nHost: localhost\r\n"
                    + "X-Forwarded-For: " + CLAIMED + "\r\nContent-Length: 100000\r\n\r\n");
            assertEquals(413, answer.status(), answer.raw());
            assertThat(log.lines(), hasItem(containsString("413 VAL_BODY_TOO_LARGE from " + CLAIMED)));
        }
    }
}
