package dev.sentinel.auth.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.Optional;

/** Every setting of auth-service, under {@code auth.*}; secrets come from the environment. */
@ConfigMapping(prefix = "auth")
public interface AuthConfig {

    Argon2 argon2();

    Password password();

    Lockout lockout();

    Captcha captcha();

    Jwt jwt();

    Refresh refresh();

    Verification verification();

    RateLimits rateLimits();

    Admin admin();

    Mfa mfa();

    Encryption encryption();

    Retention retention();

    /** How long auth keeps rows it no longer needs ({@code AuthRetention}). */
    interface Retention {
        /**
         * Sessions that ended (revoked or expired), with their refresh tokens, are kept this
         * long for the session history, then deleted. Must outlive every access token of a
         * session (lifetime plus skew), since the revocation fallback reads this table.
         */
        @WithDefault("P30D")
        Duration endedSessions();

        /**
         * Rotated refresh tokens of live sessions are kept this long for reuse detection; a
         * token replayed later is refused as unknown instead of ending its session.
         */
        @WithDefault("P7D")
        Duration rotatedRefreshTokens();

        /** Verification and reset tokens are kept this long after they were used or expired. */
        @WithDefault("P7D")
        Duration spentEmailTokens();

        /** A device not seen for this long is forgotten: its next sign-in earns a "new sign-in" email again. */
        @WithDefault("P365D")
        Duration knownDevices();

        /** How often the purge runs (a Quarkus scheduler interval, or {@code off}). */
        @WithDefault("10m")
        String purgeInterval();
    }

    /** TOTP second factor (RFC 6238: SHA-1, 30 s, 6 digits, ±1 step). */
    interface Mfa {
        /** The issuer shown in authenticator apps (otpauth URI and label). */
        @WithDefault("Sentinel")
        String issuer();

        /** How long the mfaToken from the password step stays usable. */
        @WithDefault("PT5M")
        Duration challengeLifetime();

        @WithDefault("5")
        int maxFailures();

        @WithDefault("PT15M")
        Duration window();

        @WithDefault("PT5M")
        Duration lockDuration();
    }

    /** Keys for secrets at rest (TOTP seeds): AES-256-GCM, versioned for rotation. */
    interface Encryption {
        /** JSON object of version → base64 32-byte key, e.g. {"v1":"..."} (env ENCRYPTION_KEYS). */
        String keys();

        /** The version new encryptions use (env ENCRYPTION_KEY_CURRENT). */
        String current();

        /**
         * How often seeds under an older key are moved to the current one (MfaKeyRotation; a
         * Quarkus scheduler interval, or {@code off}; env TOTP_REENCRYPT_INTERVAL).
         */
        @WithDefault("10m")
        String reencryptInterval();
    }

    /**
     * Machine clients allowed the client_credentials grant, as {@code id:sha256hex} pairs
     * separated by commas (env SERVICE_CLIENTS). Only the SHA-256 of each secret is configured.
     */
    Optional<String> serviceClients();

    /** The first administrator, created at the first start if no account has the address. */
    interface Admin {
        /** env ADMIN_EMAIL */
        Optional<String> email();

        /** env ADMIN_PASSWORD; must meet the password policy (the prod profile refuses to start otherwise). */
        Optional<String> password();
    }

    /** Argon2id cost; a stored hash made with other values is re-hashed at the next good login. */
    interface Argon2 {
        /** Iterations (t). */
        @WithDefault("3")
        int iterations();

        /** Memory in KiB (m). 65536 = 64 MiB. */
        @WithDefault("65536")
        int memoryKib();

        /** Lanes (p). */
        @WithDefault("2")
        int parallelism();

        /** Hashing threads; 0 = one per core. */
        @WithDefault("0")
        int poolSize();

        /** Hashes allowed to wait for a thread; beyond that the request gets 503 SYS_BUSY. */
        @WithDefault("32")
        int queueSize();
    }

    interface Password {
        @WithDefault("10")
        int minLength();

        @WithDefault("128")
        int maxLength();

        /** Lowest zxcvbn score (0–4) accepted; common and guessable passwords score 0–1. */
        @WithDefault("2")
        int minStrength();
    }

    /** Password-login lockout: {@code max-failures} in {@code window} lock the email for {@code duration}. */
    interface Lockout {
        @WithDefault("5")
        int maxFailures();

        @WithDefault("PT15M")
        Duration window();

        @WithDefault("PT5M")
        Duration duration();

        /** Failures (for the email or the client IP) after which a CAPTCHA is required. */
        @WithDefault("3")
        int captchaAfter();
    }

    interface Captcha {
        /** {@code turnstile} or {@code disabled}. */
        @WithDefault("disabled")
        String provider();

        Turnstile turnstile();

        interface Turnstile {
            @WithDefault("https://challenges.cloudflare.com/turnstile/v0/siteverify")
            String verifyUrl();

            /** The Turnstile secret key (env TURNSTILE_SECRET_KEY). */
            Optional<String> secret();

            @WithDefault("PT5S")
            Duration timeout();
        }
    }

    interface Jwt {
        /** Issuer ({@code iss}) of access tokens. */
        @WithDefault("sentinel")
        String issuer();

        /** Audience ({@code aud}) of access tokens. */
        @WithDefault("sentinel")
        String audience();

        @WithDefault("PT15M")
        Duration accessTokenLifetime();

        /**
         * How far past {@code exp} a verifier still accepts a token: the same setting every
         * service's verifier reads ({@code mp.jwt.verify.clock.skew}, seconds), so revocation
         * marks outlive every token a verifier would take.
         */
        @WithDefault("${mp.jwt.verify.clock.skew:120}")
        int clockSkewSeconds();

        /** The signing key: an EC P-256 private JWK with a kid (env JWT_JWK_CURRENT). */
        String currentJwk();

        /** The key rotated out, still published until its tokens expire (env JWT_JWK_PREVIOUS). */
        Optional<String> previousJwk();

        /**
         * The key that will sign next, published but not yet signing (env JWT_JWK_NEXT): set it
         * one JWKS cache lifetime before it becomes current, so every verifier already knows its
         * kid when the first token under it arrives (docs/key-rotation.md).
         */
        Optional<String> nextJwk();
    }

    interface Refresh {
        /** Absolute lifetime of a session's refresh tokens. */
        @WithDefault("P30D")
        Duration lifetime();

        /** A repeat of a just-rotated token within this window gets the same successor (two tabs). */
        @WithDefault("PT10S")
        Duration graceWindow();

        /**
         * Key (base64, 32 bytes) from which a rotated token's successor is derived, so a
         * repeat inside the grace window gets the same successor without any raw token being
         * stored (env REFRESH_TOKEN_KEY).
         */
        String derivationKey();
    }

    interface Verification {
        @WithDefault("PT24H")
        Duration emailTokenLifetime();

        @WithDefault("PT1H")
        Duration resetTokenLifetime();
    }

    /** Requests allowed per window, per client IP and per account, on the public endpoints. */
    interface RateLimits {
        @WithDefault("PT1M")
        Duration window();

        @WithDefault("30")
        int perIp();

        @WithDefault("10")
        int perAccount();

        /**
         * Sign-in attempts per address per window, whatever the password. The lockout already
         * stops guessing; this stops a flood at one account from costing hashing time.
         */
        @WithDefault("30")
        int loginPerAccount();

        /** Resend-verification and forgot-password mails per email per hour. */
        @WithDefault("3")
        int mailsPerEmailPerHour();
    }
}
