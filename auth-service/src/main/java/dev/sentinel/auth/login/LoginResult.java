package dev.sentinel.auth.login;

import dev.sentinel.auth.session.TokenPair;

/** The password step's outcome: a session, or a second factor still to come. */
public sealed interface LoginResult {

    record Tokens(TokenPair tokens) implements LoginResult {
    }

    /** The password was right and the user has 2FA: present {@code mfaToken} with a code. */
    record MfaRequired(String mfaToken) implements LoginResult {
    }
}
