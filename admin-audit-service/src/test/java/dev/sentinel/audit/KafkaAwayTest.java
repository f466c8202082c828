package dev.sentinel.audit;

import dev.sentinel.contracts.testing.JwtTestResource;
import dev.sentinel.contracts.testing.KafkaAwayContract;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;

/** admin-audit-service with its broker hanging: still ready and live within a second, the broker reported down. */
@QuarkusTest
@QuarkusTestResource(JwtTestResource.class)
@TestProfile(KafkaAwayTest.BrokerAway.class)
class KafkaAwayTest extends KafkaAwayContract {

    public static class BrokerAway extends KafkaAwayContract.Profile {
    }
}
