package dev.sentinel.account;

import dev.sentinel.contracts.testing.ClientAddressContract;
import dev.sentinel.contracts.testing.JwtTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** account-service takes the client address as every service does (TRUSTED_PROXIES). */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class ClientAddressTest extends ClientAddressContract {
}
