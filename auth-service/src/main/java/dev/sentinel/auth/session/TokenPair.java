package dev.sentinel.auth.session;

import java.util.UUID;

/** What a successful login or refresh hands out. The refresh token is shown once and never stored. */
public record TokenPair(String accessToken, long expiresIn, String refreshToken, UUID sessionId) {
}
