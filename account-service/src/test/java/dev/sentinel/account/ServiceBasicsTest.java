package dev.sentinel.account;

import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.ServiceBasicsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** account-service boots against the real local infrastructure and behaves at its HTTP edge. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
class ServiceBasicsTest extends ServiceBasicsContract {
}
