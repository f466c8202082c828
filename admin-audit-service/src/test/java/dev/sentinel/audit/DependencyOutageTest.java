package dev.sentinel.audit;

import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.DependencyOutageContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** admin-audit-service with its broker hanging (still ready and live within a second, the broker reported down) and Redis cut (not ready, at once). */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@TestProfile(DependencyOutageTest.Outages.class)
class DependencyOutageTest extends DependencyOutageContract {

    public static class Outages extends DependencyOutageContract.Profile {
    }
}
