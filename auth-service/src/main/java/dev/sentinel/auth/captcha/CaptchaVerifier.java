package dev.sentinel.auth.captcha;

import dev.sentinel.auth.config.AuthConfig;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * Checks a CAPTCHA token with the configured provider: Cloudflare Turnstile, or
 * {@code disabled} for plain local runs (every token passes). A provider that does not
 * answer counts as a failed check: we never let a required CAPTCHA through on an error.
 */
@ApplicationScoped
public class CaptchaVerifier {

    private static final Logger LOG = Logger.getLogger(CaptchaVerifier.class);

    private final boolean enabled;
    private final String secret;
    private final TurnstileApi turnstile;

    public CaptchaVerifier(AuthConfig config) {
        AuthConfig.Captcha captcha = config.captcha();
        this.enabled = "turnstile".equalsIgnoreCase(captcha.provider());
        if (!enabled && !"disabled".equalsIgnoreCase(captcha.provider())) {
            throw new IllegalStateException("CAPTCHA_PROVIDER must be 'turnstile' or 'disabled'");
        }
        this.secret = captcha.turnstile().secret().orElse("");
        if (enabled && secret.isBlank()) {
            throw new IllegalStateException("TURNSTILE_SECRET_KEY is required when CAPTCHA_PROVIDER=turnstile");
        }
        this.turnstile = enabled ? QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(captcha.turnstile().verifyUrl()))
                .connectTimeout(captcha.turnstile().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(captcha.turnstile().timeout().toMillis(), TimeUnit.MILLISECONDS)
                .build(TurnstileApi.class) : null;
    }

    /** Whether {@code token} is a valid, unused CAPTCHA solution for a client at {@code ip}. */
    public Uni<Boolean> verify(String token, String ip) {
        if (!enabled) {
            return Uni.createFrom().item(Boolean.TRUE);
        }
        if (token == null || token.isBlank() || token.length() > 2048) {
            return Uni.createFrom().item(Boolean.FALSE);
        }
        return turnstile.verify(secret, token, ip)
                .map(TurnstileApi.Result::success)
                .onFailure().recoverWithItem(error -> {
                    LOG.warnf("CAPTCHA provider did not answer: %s", error.toString());
                    return Boolean.FALSE;
                });
    }
}
