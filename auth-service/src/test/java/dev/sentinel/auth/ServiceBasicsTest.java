package dev.sentinel.auth;

import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.ServiceBasicsContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** auth-service boots against the real local infrastructure and behaves at its HTTP edge. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
class ServiceBasicsTest extends ServiceBasicsContract {
}
