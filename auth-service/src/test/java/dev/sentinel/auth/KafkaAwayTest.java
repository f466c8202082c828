package dev.sentinel.auth;

import dev.sentinel.auth.support.AuthTestResource;
import dev.sentinel.contracts.testing.KafkaAwayContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** auth-service with its broker hanging: still ready and live within a second, the broker reported down. */
@QuarkusTest
@QuarkusTestResource(AuthTestResource.class)
@TestProfile(KafkaAwayTest.BrokerAway.class)
class KafkaAwayTest extends KafkaAwayContract {

    public static class BrokerAway extends KafkaAwayContract.Profile {
    }
}
