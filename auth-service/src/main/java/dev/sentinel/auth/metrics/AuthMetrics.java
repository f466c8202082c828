package dev.sentinel.auth.metrics;

import dev.sentinel.contracts.problem.ErrorCode;
import dev.sentinel.contracts.problem.ProblemException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * auth-service's domain counters (DESIGN §9), every labelled series registered at 0 at start
 * so rates and alerts work before the first event:
 * <ul>
 * <li>{@code sentinel_auth_logins_total{outcome}}: password sign-ins by {@link LoginOutcome};</li>
 * <li>{@code sentinel_auth_lockouts_total{factor}}: an address or user locked for too many
 *     wrong passwords ({@code password}) or wrong second-factor codes ({@code mfa});</li>
 * <li>{@code sentinel_auth_mfa_failures_total}: wrong TOTP or recovery codes;</li>
 * <li>{@code sentinel_auth_refresh_reuse_total}: a rotated refresh token came back and its
 *     session was ended.</li>
 * </ul>
 * Callers count only once the transaction that decided the event has committed. The hashing
 * pool's meters live beside the pool ({@code PasswordHasher}).
 */
@Startup // its series must exist before the first event
@ApplicationScoped
public class AuthMetrics {

    /** What a password sign-in ended with; the label value is the lower-case name. */
    public enum LoginOutcome {
        SUCCESS, MFA_REQUIRED, BAD_CREDENTIALS, LOCKED, CAPTCHA_REQUIRED, EMAIL_NOT_VERIFIED, RATE_LIMITED, BUSY, ERROR;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The outcome a failed sign-in's problem stands for. */
        public static LoginOutcome of(Throwable failure) {
            if (!(failure instanceof ProblemException problem)) {
                return ERROR;
            }
            ErrorCode code = problem.code();
            return switch (code) {
                case AUTH_INVALID_CREDENTIALS -> BAD_CREDENTIALS;
                case AUTH_ACCOUNT_LOCKED -> LOCKED;
                case AUTH_CAPTCHA_REQUIRED -> CAPTCHA_REQUIRED;
                case AUTH_EMAIL_NOT_VERIFIED -> EMAIL_NOT_VERIFIED;
                case SYS_RATE_LIMITED -> RATE_LIMITED;
                case SYS_BUSY -> BUSY;
                default -> ERROR;
            };
        }
    }

    /** What a lockout was for. */
    public enum Factor {
        PASSWORD, MFA;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Map<LoginOutcome, Counter> logins = new EnumMap<>(LoginOutcome.class);
    private final Map<Factor, Counter> lockouts = new EnumMap<>(Factor.class);
    private final Counter mfaFailures;
    private final Counter refreshReuse;

    public AuthMetrics(MeterRegistry registry) {
        for (LoginOutcome outcome : LoginOutcome.values()) {
            logins.put(outcome, Counter.builder("sentinel.auth.logins").description("Password sign-ins by outcome")
                    .tag("outcome", outcome.label()).register(registry));
        }
        for (Factor factor : Factor.values()) {
            lockouts.put(factor, Counter.builder("sentinel.auth.lockouts")
                    .description("Lockouts after too many failed attempts").tag("factor", factor.label())
                    .register(registry));
        }
        this.mfaFailures = Counter.builder("sentinel.auth.mfa.failures")
                .description("Wrong second-factor codes (TOTP or recovery)").register(registry);
        this.refreshReuse = Counter.builder("sentinel.auth.refresh.reuse")
                .description("Rotated refresh tokens presented again; their session was ended").register(registry);
    }

    public void login(LoginOutcome outcome) {
        logins.get(outcome).increment();
    }

    public void lockout(Factor factor) {
        lockouts.get(factor).increment();
    }

    public void mfaFailure() {
        mfaFailures.increment();
    }

    public void refreshReuse() {
        refreshReuse.increment();
    }
}
