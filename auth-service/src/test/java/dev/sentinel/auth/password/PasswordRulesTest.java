package dev.sentinel.auth.password;

import dev.sentinel.auth.user.EmailAddress;
import dev.sentinel.auth.web.DeviceFamily;
import dev.sentinel.auth.web.NetworkBinding;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure rules of auth-service, without Quarkus. */
class PasswordRulesTest {

    private final PasswordPolicy policy = new PasswordPolicy(10, 128, 2);

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "Correct-Horse-Battery-Staple-9|true",
            "short|false",
            "password123|false",
            "1234567890|false",
            "qwertyuiop|false",
            "iloveyou2024|false",
            "alice-Quartz-Zebra-77|false"})
    void acceptsOnlyLongUncommonPasswordsWithoutTheLocalPart(String password, boolean accepted) {
        assertEquals(accepted, policy.problems(password, "alice@example.com").isEmpty(), password);
    }

    @Test
    void refusesOverlongPasswords() {
        assertFalse(policy.problems("Zx9-".repeat(33), "bob@example.com").isEmpty());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA|3|65536|2|false",
            "$argon2id$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA|1|1024|1|true",
            "$argon2id$v=19$m=1024,t=1,p=1$c2FsdA$aGFzaA|3|65536|2|true",
            "$argon2i$v=19$m=65536,t=3,p=2$c2FsdA$aGFzaA|3|65536|2|true",
            "plain-text|3|65536|2|true"})
    void rehashesAnyOtherCost(String hash, int t, int m, int p, boolean rehash) {
        assertEquals(rehash, StoredHash.needsRehash(hash, t, m, p));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "' Alice@Example.COM '|Alice@example.com",
            "bob+tag@sub.example.org|bob+tag@sub.example.org",
            "no-at-sign|",
            "two@@example.com|",
            "a@b|",
            "dot.@example.com|",
            "x@exa_mple.com|"})
    void normalisesAddresses(String raw, String expected) {
        assertEquals(Optional.ofNullable(expected), EmailAddress.normalise(raw));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "203.0.113.77|203.0.113.0/24",
            "2001:db8:1:2:3:4:5:6|2001:db8:1:2::/64",
            "not-an-ip|unknown"})
    void bindsToTheClientNetwork(String ip, String network) {
        assertEquals(network, NetworkBinding.networkOf(ip));
    }

    @Test
    void namesDeviceFamiliesWithoutVersions() {
        assertEquals("Firefox on Linux",
                DeviceFamily.of("Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"));
        assertEquals(DeviceFamily.of("Mozilla/5.0 (Windows NT 10.0) Chrome/120.0 Safari/537.36"),
                DeviceFamily.of("Mozilla/5.0 (Windows NT 10.0) Chrome/126.0 Safari/537.36"));
        assertTrue(DeviceFamily.of(null).startsWith("Unknown"));
    }
}
