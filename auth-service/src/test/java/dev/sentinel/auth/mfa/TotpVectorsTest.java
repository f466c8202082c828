package dev.sentinel.auth.mfa;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 6238 Appendix B (SHA-1) through the service's own TOTP code path. */
class TotpVectorsTest {

    /** The RFC's seed "12345678901234567890" in base32. */
    private static final String RFC_SEED = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

    @ParameterizedTest
    @CsvSource({"59,94287082", "1111111109,07081804", "1111111111,14050471", "1234567890,89005924",
            "2000000000,69279037", "20000000000,65353130"})
    void appendixB(long seconds, String expected) {
        assertEquals(expected, new Totp(8).codeAt(RFC_SEED, seconds * 1000));
    }

    @ParameterizedTest
    @CsvSource({"-1,true", "0,true", "1,true", "-2,false", "2,false"})
    void acceptsOneStepEitherWay(int offset, boolean accepted) {
        Totp totp = new Totp(6);
        String secret = totp.newSecret();
        long now = 1_700_000_015_000L;
        String code = IndependentTotp.code(secret, now / 1000, offset);
        assertEquals(accepted, totp.matchingStep(secret, code, now).isPresent());
        if (accepted) {
            assertEquals(now / 30_000 + offset, totp.matchingStep(secret, code, now).getAsLong());
        }
    }

    @ParameterizedTest
    @CsvSource({"12345", "1234567", "12a456", "''", "' 123456'"})
    void malformedCodesNeverMatch(String code) {
        Totp totp = new Totp(6);
        assertTrue(totp.matchingStep(totp.newSecret(), code, System.currentTimeMillis()).isEmpty());
    }
}
