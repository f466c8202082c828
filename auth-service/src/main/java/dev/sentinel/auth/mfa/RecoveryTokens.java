package dev.sentinel.auth.mfa;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.sentinel.auth.session.Tokens;
import io.quarkus.runtime.annotations.RegisterForReflection;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A recovery-code sign-in's answer: the {@link Tokens} plus how many recovery codes are left. */
@RegisterForReflection
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "RecoveryTokens", requiredProperties = {"accessToken", "tokenType", "expiresIn", "recoveryCodesRemaining",
        "lowOnRecoveryCodes"}, description = "The tokens of a recovery-code sign-in, and the recovery codes left")
public record RecoveryTokens(String accessToken, String tokenType, long expiresIn, String refreshToken, String csrfToken,
        long recoveryCodesRemaining,
        @Schema(description = "True when few codes are left: time to generate new ones") boolean lowOnRecoveryCodes) {

    static RecoveryTokens of(Tokens tokens, long remaining, boolean low) {
        return new RecoveryTokens(tokens.accessToken(), tokens.tokenType(), tokens.expiresIn(), tokens.refreshToken(),
                tokens.csrfToken(), remaining, low);
    }
}
