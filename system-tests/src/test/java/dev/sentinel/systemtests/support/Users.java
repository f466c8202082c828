package dev.sentinel.systemtests.support;

import dev.sentinel.contracts.testing.Mailbox;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Users made the way a person makes them: sign up on auth, read the mail, follow its link. */
public final class Users {

    /** Subject of the English verification mail (notification-service's template). */
    public static final String VERIFY_SUBJECT = "Verify your email address";
    /** How long a mail may take: outbox relay → Kafka → notification-service → SMTP → IMAP. */
    public static final Duration MAIL_TIMEOUT = Duration.ofSeconds(60);

    private static final Pattern VERIFY_LINK = Pattern.compile("(https?://\\S+/v1/auth/verify-email\\?token=([^\\s\"<]+))");

    /** An email and password that passes the policy. */
    public record Credentials(String email, String password) {
    }

    private Users() {
    }

    /** An address no other test or run uses; the mail server keeps a mailbox per address. */
    public static String uniqueEmail(String label) {
        return "e2e-" + label + "-" + UUID.randomUUID().toString().substring(0, 12) + "@sentinel.test";
    }

    /** New unique credentials (not yet registered). */
    public static Credentials newCredentials(String label) {
        return new Credentials(uniqueEmail(label), "Pw-" + UUID.randomUUID());
    }

    /** {@code POST /v1/auth/register}; auth answers 202 whatever the address. */
    public static void register(Sentinel sentinel, Credentials user) {
        sentinel.auth().body(Map.of("email", user.email(), "password", user.password()))
                .when().post("/v1/auth/register")
                .then().statusCode(202);
    }

    /** The verification link of the newest verification mail to {@code email}, waiting for it to arrive. */
    public static String verificationLink(String email) {
        Mailbox.Received mail = Mailbox.awaitNewest(email, m -> VERIFY_SUBJECT.equals(m.subject()), MAIL_TIMEOUT);
        Matcher link = VERIFY_LINK.matcher(mail.text());
        if (!link.find()) {
            throw new AssertionError("no verification link in the mail:\n" + mail.text());
        }
        return link.group(1);
    }

    /** The one-time token in a verification link. */
    public static String token(String verificationLink) {
        Matcher link = VERIFY_LINK.matcher(verificationLink);
        if (!link.matches()) {
            throw new AssertionError("not a verification link: " + verificationLink);
        }
        return URLDecoder.decode(link.group(2), StandardCharsets.UTF_8);
    }

    /** Registers, waits for the mail and verifies the address: a user who can sign in. */
    public static Credentials registerAndVerify(Sentinel sentinel, String label) {
        Credentials user = newCredentials(label);
        register(sentinel, user);
        sentinel.auth().queryParam("token", token(verificationLink(user.email())))
                .when().get("/v1/auth/verify-email")
                .then().statusCode(200);
        return user;
    }
}
